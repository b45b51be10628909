import assert from 'node:assert/strict';
import type { APIMessage } from 'discord-api-types/v10';
import { startEmulator, type Emulator } from '../../src/emulator';

/** Every message of the demo server, from the ground truth (no HTTP). */
function allMessages(emu: Emulator): APIMessage[] {
  const out: APIMessage[] = [];
  for (const channelId of emu.world.channelIdsWithMessages(emu.guildIds[0])) {
    const store = emu.world.messageStore(channelId)!;
    for (const id of store.ids()) out.push(store.get(id)!);
  }
  return out;
}

describe('emulator: the demo server holds every kind of content a backup must keep', () => {
  let emu: Emulator;
  let messages: APIMessage[];
  before(async () => {
    emu = await startEmulator({ seed: 1, size: 'demo', rateLimits: false });
    messages = allMessages(emu);
  });
  after(() => emu.close());

  const some = (what: string, test: (m: APIMessage) => unknown) => it(what, () => assert.ok(messages.some(test), what));

  some('replies with the referenced message', (m) => m.type === 19 && m.referenced_message && m.message_reference?.message_id === m.referenced_message.id);
  some('forwards with a message snapshot', (m) => m.message_reference?.type === 1 && m.message_snapshots?.length === 1);
  some('edited messages', (m) => m.edited_timestamp);
  some('pinned messages', (m) => m.pinned);
  some('user mentions', (m) => m.mentions.length > 0 && m.content.includes(`<@${m.mentions[0].id}>`));
  some('role mentions', (m) => m.mention_roles.length > 0);
  some('@everyone', (m) => m.mention_everyone);
  some('rich embeds', (m) => m.embeds.some((e) => e.type === 'rich' && e.fields?.length));
  some('link embeds', (m) => m.embeds.some((e) => e.type === 'link'));
  some('image attachments with dimensions', (m) => m.attachments.some((a) => a.content_type === 'image/png' && a.width && a.height));
  some('several attachments in one message', (m) => m.attachments.length > 1);
  some('unicode reactions', (m) => m.reactions?.some((r) => r.emoji.id === null));
  some('custom emoji reactions', (m) => m.reactions?.some((r) => r.emoji.id !== null));
  some('stickers', (m) => m.sticker_items?.length);
  some('polls', (m) => m.poll?.answers.length);
  some('member join messages', (m) => m.type === 7);
  some('thread starter messages', (m) => m.thread && m.flags! & 32);
  some('webhook messages', (m) => m.webhook_id);
  some('bot authors', (m) => m.author.bot && !m.webhook_id);
  some('deleted users', (m) => m.author.global_name === 'Deleted User');
  some('right-to-left text', (m) => /[\u0590-\u06ff]/.test(m.content));
  some('CJK text', (m) => /[\u4e00-\u9fff]/.test(m.content));
  some('ZWJ emoji sequences', (m) => m.content.includes('\u200d'));
  some('astral-plane characters', (m) => /[\u{10000}-\u{10ffff}]/u.test(m.content));
  some('combining marks', (m) => /\p{M}/u.test(m.content));

  it('has every channel type, forum tags, and boosters', () => {
    const guild = emu.world.guild(emu.guildIds[0])!;
    const types = new Set([...guild.channels.values()].map((c) => c.type));
    assert.deepEqual([0, 2, 4, 5, 13, 15, 16].filter((t) => !types.has(t)), []);
    assert.ok([...guild.channels.values()].some((c) => c.type === 15 && c.available_tags!.some((t) => t.moderated)));
    assert.ok([...guild.members.values()].some((m) => m.premium_since));
    assert.ok([...guild.roles.values()].some((r) => r.icon) && [...guild.roles.values()].some((r) => r.unicode_emoji));
    assert.ok([...guild.channels.values()].some((c) => c.permission_overwrites?.some((o) => o.type === 1)));
    const threadTypes = new Set([...guild.threads.values()].map((t) => t.type));
    assert.deepEqual([10, 11, 12].filter((t) => !threadTypes.has(t)), []);
    assert.ok(guild.soundboardSounds.size > 0 && guild.onboarding.prompts.length > 0 && guild.welcomeScreen.welcome_channels.length > 0);
  });
});

describe('emulator: generated channels are shaped as Discord returns them', () => {
  for (const size of ['demo', 'small'] as const) {
    for (const seed of [1, 4]) {
      it(`${size} world, seed ${seed}: no channel lists two permission overwrites for one role or member`, async () => {
        const emu = await startEmulator({ seed, size, rateLimits: false });
        try {
          let checked = 0;
          for (const guildId of emu.guildIds) {
            const res = await fetch(`${emu.apiBaseUrl}/v10/guilds/${guildId}/channels`, { headers: { Authorization: `Bot ${emu.token}` } });
            const channels = (await res.json()) as { name: string; permission_overwrites?: { id: string }[] }[];
            for (const channel of channels) {
              const ids = (channel.permission_overwrites ?? []).map((o) => o.id);
              assert.equal(new Set(ids).size, ids.length, `#${channel.name} has a duplicate overwrite: ${ids.join(', ')}`);
              checked += ids.length;
            }
          }
          assert.ok(checked > 5, `${checked} overwrites checked`);
          // #vent-archive still lets the bot see it but not read its history (one overwrite for its role).
          const vent = [...emu.world.guild(emu.guildIds[0])!.channels.values()].find((c) => c.name === 'vent-archive')!;
          assert.ok(emu.world.botPermissionsIn(vent.id) !== 0n);
          assert.ok(!emu.world.readableChannelIds(emu.guildIds[0]).includes(vent.id));
        } finally {
          await emu.close();
        }
      });
    }
  }
});
