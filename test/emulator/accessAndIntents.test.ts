import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { DEFAULT_BOT_PERMISSIONS, startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';

describe('emulator: permissions computed like Discord', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 9, size: 'small', rateLimits: false });
  });
  after(() => emu.close());

  it('hides a channel denied to the bot by a member overwrite: 403 50001', async () => {
    const secret = channelNamed(emu, 'secret-santa');
    const res = await api(emu, `/channels/${secret.id}/messages`);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { message: 'Missing Access', code: 50001 });
    assert.equal(emu.world.botPermissionsIn(secret.id), 0n);
    assert.ok(!emu.world.readableChannelIds(emu.guildIds[0]).includes(secret.id));
  });

  it('lets the bot into a category-hidden channel through its role overwrite', async () => {
    const modLog = channelNamed(emu, 'mod-log');
    const res = await api(emu, `/channels/${modLog.id}/messages?limit=5`);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 5);
  });

  it('returns an empty list, not an error, without READ_MESSAGE_HISTORY', async () => {
    const vent = channelNamed(emu, 'vent-archive');
    assert.ok(emu.world.messageCount(vent.id) > 0);
    const res = await api(emu, `/channels/${vent.id}/messages`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
    assert.equal((await api(emu, `/channels/${vent.id}/messages/${[...emu.world.messageIds(vent.id)][0]}`)).body.code, 50013);
  });

  it('gives an ADMINISTRATOR every permission, overwrites notwithstanding', async () => {
    const admin = await startEmulator({ seed: 9, size: 'small', rateLimits: false, botPermissions: P.Administrator });
    try {
      const secret = channelNamed(admin, 'secret-santa');
      assert.equal((await api(admin, `/channels/${secret.id}/messages?limit=1`)).status, 200);
      assert.equal(admin.world.readableChannelIds(admin.guildIds[0]).length, admin.world.channelIdsWithMessages(admin.guildIds[0]).length);
    } finally {
      await admin.close();
    }
  });

  describe('without BAN_MEMBERS and MANAGE_THREADS', () => {
    let weak: Emulator;
    before(async () => {
      weak = await startEmulator({ seed: 9, size: 'small', rateLimits: false, botPermissions: DEFAULT_BOT_PERMISSIONS & ~P.BanMembers & ~P.ManageThreads });
    });
    after(() => weak.close());

    it('refuses the ban list with 403 50013', async () => {
      const res = await api(weak, `/guilds/${weak.guildIds[0]}/bans`);
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, { message: 'Missing Permissions', code: 50013 });
    });

    it('refuses archived private threads with 50013 but lists the joined ones', async () => {
      const staff = channelNamed(weak, 'staff-chat');
      assert.equal((await api(weak, `/channels/${staff.id}/threads/archived/private`)).body.code, 50013);
      const joined = await api(weak, `/channels/${staff.id}/users/@me/threads/archived/private`);
      assert.equal(joined.status, 200);
      assert.ok(joined.body.threads.length >= 1);
    });

    it('hides private threads the bot has not joined', async () => {
      const guild = weak.world.guild(weak.guildIds[0])!;
      const hidden = [...guild.threads.values()].find((t) => t.type === 12 && !guild.joinedThreadIds.has(t.id))!;
      assert.equal((await api(weak, `/channels/${hidden.id}/messages`)).body.code, 50001);
      const active = (await api(weak, `/guilds/${weak.guildIds[0]}/threads/active`)).body.threads as Array<{ id: string }>;
      assert.ok(!active.some((t) => t.id === hidden.id));
    });
  });
});

describe('emulator: privileged intents', () => {
  it('blanks content, embeds, attachments and components without Message Content, except where the bot is mentioned', async () => {
    const emu = await startEmulator({ seed: 12, size: { channels: 1, messagesPerChannel: 3000 }, rateLimits: false, intents: { messageContent: false } });
    try {
      const channelId = emu.world.readableChannelIds(emu.guildIds[0])[0];
      const store = emu.world.messageStore(channelId)!;
      let blanked = 0;
      let mentioning = 0;
      for (let before = ''; ; ) {
        const page = (await api(emu, `/channels/${channelId}/messages?limit=100${before}`)).body as Array<{ id: string; content: string; embeds: unknown[]; attachments: unknown[]; components: unknown[]; mentions: Array<{ id: string }> }>;
        for (const m of page) {
          const truth = store.get(m.id)!;
          if (m.mentions.some((u) => u.id === emu.botUserId)) {
            mentioning++;
            assert.equal(m.content, truth.content);
          } else {
            assert.equal(m.content, '');
            assert.deepEqual([m.embeds, m.attachments, m.components], [[], [], []]);
            if (truth.content) blanked++;
          }
        }
        if (page.length < 100) break;
        before = `&before=${page[page.length - 1].id}`;
      }
      assert.ok(blanked > 1000);
      assert.ok(mentioning > 0, 'some messages mention the bot');
    } finally {
      await emu.close();
    }
  });

  it('refuses the member list without Server Members: 403 50001', async () => {
    const emu = await startEmulator({ seed: 12, size: 'small', rateLimits: false, intents: { guildMembers: false } });
    try {
      const res = await api(emu, `/guilds/${emu.guildIds[0]}/members?limit=10`);
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 50001);
    } finally {
      await emu.close();
    }
  });

  it('shows the intents in the application flags of GET /applications/@me, full, limited or off', async () => {
    const emu = await startEmulator({ seed: 12, size: 'small', rateLimits: false, intents: { messageContent: 'limited' } });
    try {
      const flags = async () => (await api(emu, '/applications/@me')).body.flags as number;
      const app = (await api(emu, '/applications/@me')).body;
      assert.equal(app.id, emu.botUserId);
      assert.equal(app.bot.id, emu.botUserId);
      assert.equal(await flags(), (1 << 18) | (1 << 15), 'Message Content limited, Server Members on');
      emu.world.intents.messageContent = true;
      emu.world.intents.guildMembers = false;
      assert.equal(await flags(), 1 << 19, 'Message Content on, Server Members off');
      emu.world.intents.messageContent = false;
      emu.world.intents.guildMembers = 'limited';
      assert.equal(await flags(), 1 << 14, 'Message Content off, Server Members limited');
    } finally {
      await emu.close();
    }
  });
});

describe('emulator: CDN and signed attachment URLs', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 14, size: 'small', rateLimits: false });
  });
  after(() => emu.close());

  async function attachments(channel: string) {
    const out: Array<{ id: string; url: string; size: number; content_type: string; filename: string }> = [];
    for (let before = ''; ; ) {
      const page = (await api(emu, `/channels/${channelNamed(emu, channel).id}/messages?limit=100${before}`)).body as Array<{ id: string; attachments: typeof out }>;
      for (const m of page) out.push(...m.attachments);
      if (page.length < 100) break;
      before = `&before=${page[page.length - 1].id}`;
    }
    return out;
  }

  it('serves each attachment at its signed URL, with the announced size and type', async () => {
    const list = await attachments('show-and-tell');
    assert.ok(list.length > 5);
    for (const a of list) {
      const url = new URL(a.url);
      assert.ok(url.searchParams.get('ex') && url.searchParams.get('is') && url.searchParams.get('hm'), a.url);
      const res = await fetch(a.url);
      assert.equal(res.status, 200, a.url);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.length, a.size);
      assert.equal(res.headers.get('content-type'), a.content_type);
      if (a.content_type === 'image/png') assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    }
  });

  it('posts some files again, byte for byte, under new attachment ids', async () => {
    const list = [...(await attachments('show-and-tell')), ...(await attachments('general'))];
    const byHash = new Map<string, Set<string>>();
    for (const a of list) {
      const hash = createHash('sha256').update(Buffer.from(await (await fetch(a.url)).arrayBuffer())).digest('hex');
      byHash.set(hash, (byHash.get(hash) ?? new Set()).add(a.id));
    }
    assert.ok([...byHash.values()].some((ids) => ids.size > 1), 'some content appears under several attachment ids');
    assert.ok(byHash.size < list.length);
  });

  it('answers 404 for a tampered, unsigned or expired URL', async () => {
    const [a] = await attachments('show-and-tell');
    const tampered = a.url.replace(/hm=([0-9a-f])/, (_, c: string) => `hm=${c === '0' ? '1' : '0'}`);
    assert.equal((await fetch(tampered)).status, 404);
    assert.equal((await fetch(a.url.split('?')[0])).status, 404);
    emu.world.attachmentUrlTtlSeconds = -60;
    try {
      const [expired] = await attachments('show-and-tell');
      const res = await fetch(expired.url);
      assert.equal(res.status, 404);
      assert.equal(await res.text(), 'This content is no longer available.');
    } finally {
      emu.world.attachmentUrlTtlSeconds = 86_400;
    }
  });

  it('serves avatars, guild icons, role icons, emojis and stickers as images', async () => {
    const guild = emu.world.guild(emu.guildIds[0])!;
    const member = [...guild.members.values()].find((m) => m.user.avatar)!;
    const role = [...guild.roles.values()].find((r) => r.icon)!;
    const paths = [
      `/avatars/${member.user.id}/${member.user.avatar}.png`,
      `/icons/${guild.guild.id}/${guild.guild.icon}.png?size=128`,
      `/role-icons/${role.id}/${role.icon}.webp`,
      ...[...guild.emojis.values()].map((e) => `/emojis/${e.id}.${e.animated ? 'gif' : 'png'}`),
      ...[...guild.stickers.values()].map((s) => `/stickers/${s.id}.png`),
    ];
    for (const p of paths) {
      const res = await fetch(emu.cdnBaseUrl + p);
      assert.equal(res.status, 200, p);
      assert.equal(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString(), 'PNG', p);
    }
    assert.equal((await fetch(`${emu.cdnBaseUrl}/avatars/${member.user.id}/0000.png`)).status, 404);
  });
});
