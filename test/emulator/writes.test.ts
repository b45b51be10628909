import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';

const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

describe('emulator: writes change the server', () => {
  let emu: Emulator;
  let g: string;
  before(async () => {
    emu = await startEmulator({ seed: 31, size: 'small', rateLimits: false });
    g = emu.guildIds[0];
  });
  after(() => emu.close());

  const roles = async () => (await api(emu, `/guilds/${g}/roles`)).body as Array<{ id: string; name: string; position: number; managed: boolean }>;
  const botTop = async () => {
    const list = await roles();
    return list.find((r) => r.name === 'Guild Vault')!.position;
  };

  describe('roles and the role hierarchy', () => {
    it('creates a role just above @everyone, edits and deletes it', async () => {
      const created = await api(emu, `/guilds/${g}/roles`, { method: 'POST', body: { name: 'Restored 🎨', color: 0x123456, hoist: true, permissions: '1024' } });
      assert.equal(created.status, 200);
      assert.equal(created.body.position, 1);
      assert.equal(created.body.colors.primary_color, 0x123456);
      const edited = await api(emu, `/guilds/${g}/roles/${created.body.id}`, { method: 'PATCH', body: { name: 'Renamed', mentionable: true, icon: PNG_1PX } });
      assert.equal(edited.body.name, 'Renamed');
      assert.match(edited.body.icon, /^[0-9a-f]{32}$/);
      assert.equal((await fetch(`${emu.cdnBaseUrl}/role-icons/${created.body.id}/${edited.body.icon}.png`)).status, 200);
      assert.equal((await api(emu, `/guilds/${g}/roles/${created.body.id}`, { method: 'DELETE' })).status, 204);
      assert.ok(!(await roles()).some((r) => r.id === created.body.id));
      const positions = (await roles()).map((r) => r.position);
      assert.deepEqual(positions, positions.map((_, i) => i), 'positions stay 0..n-1');
    });

    it('refuses to edit, delete or move roles at or above the bot’s highest role (50013)', async () => {
      const top = await botTop();
      const above = (await roles()).find((r) => r.position > top)!;
      assert.equal((await api(emu, `/guilds/${g}/roles/${above.id}`, { method: 'PATCH', body: { name: 'x' } })).body.code, 50013);
      assert.equal((await api(emu, `/guilds/${g}/roles/${above.id}`, { method: 'DELETE' })).body.code, 50013);
      const below = (await roles()).find((r) => r.position > 0 && r.position < top && !r.managed)!;
      assert.equal((await api(emu, `/guilds/${g}/roles`, { method: 'PATCH', body: [{ id: below.id, position: top }] })).body.code, 50013);
    });

    it('refuses to delete @everyone or a managed role, and to grant permissions the bot lacks', async () => {
      const list = await roles();
      assert.equal((await api(emu, `/guilds/${g}/roles/${g}`, { method: 'DELETE' })).body.code, 50028);
      const booster = list.find((r) => r.managed && r.name === 'Server Booster')!;
      assert.equal((await api(emu, `/guilds/${g}/roles/${booster.id}`, { method: 'DELETE' })).body.code, 50028);
      assert.equal((await api(emu, `/guilds/${g}/roles`, { method: 'POST', body: { name: 'admin please', permissions: '8' } })).body.code, 50013);
    });

    it('reorders roles below the bot with PATCH /guilds/{id}/roles', async () => {
      const a = (await api(emu, `/guilds/${g}/roles`, { method: 'POST', body: { name: 'A' } })).body;
      const b = (await api(emu, `/guilds/${g}/roles`, { method: 'POST', body: { name: 'B' } })).body;
      // B was created last, so it is at 1 and A at 2: swap them.
      const res = await api(emu, `/guilds/${g}/roles`, { method: 'PATCH', body: [{ id: a.id, position: 1 }, { id: b.id, position: 2 }] });
      assert.equal(res.status, 200);
      const after = res.body as Array<{ id: string; position: number }>;
      assert.equal(after.find((r) => r.id === a.id)!.position, 1);
      assert.equal(after.find((r) => r.id === b.id)!.position, 2);
      assert.deepEqual(after.map((r) => r.position), after.map((_, i) => i));
    });
  });

  describe('channels and overwrites', () => {
    it('creates a channel under a category with overwrites, moves it and deletes it', async () => {
      const category = channelNamed(emu, '💬 Community');
      const member = (await roles()).find((r) => r.name === 'Member')!;
      const created = await api(emu, `/guilds/${g}/channels`, {
        method: 'POST',
        body: { name: 'restored-chat', type: 0, topic: 'Back from the vault', parent_id: category.id, permission_overwrites: [{ id: member.id, type: 0, allow: '1024', deny: '2048' }] },
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.parent_id, category.id);
      assert.deepEqual(created.body.permission_overwrites, [{ id: member.id, type: 0, allow: '1024', deny: '2048' }]);
      const id = created.body.id;
      assert.ok(((await api(emu, `/guilds/${g}/channels`)).body as Array<{ id: string }>).some((c) => c.id === id));
      assert.equal((await api(emu, `/guilds/${g}/channels`, { method: 'PATCH', body: [{ id, position: 0, parent_id: null }] })).status, 204);
      const moved = (await api(emu, `/channels/${id}`)).body;
      assert.equal(moved.position, 0);
      assert.equal(moved.parent_id, null);
      assert.equal((await api(emu, `/channels/${id}`, { method: 'PATCH', body: { name: 'renamed', nsfw: true } })).body.name, 'renamed');
      assert.equal((await api(emu, `/channels/${id}`, { method: 'DELETE' })).body.id, id);
      assert.equal((await api(emu, `/channels/${id}`)).body.code, 10003);
    });

    it('writes and deletes permission overwrites, which change what the bot can read', async () => {
      const general = channelNamed(emu, 'general');
      const put = await api(emu, `/channels/${general.id}/permissions/${emu.botUserId}`, { method: 'PUT', body: { type: 1, allow: '0', deny: '1024' } });
      assert.equal(put.status, 204);
      assert.equal((await api(emu, `/channels/${general.id}/messages`)).body.code, 50001);
      // The bot can no longer see the channel, so it cannot remove the overwrite itself either.
      emu.world.channel(general.id)!.channel.permission_overwrites = emu.world.channel(general.id)!.channel.permission_overwrites!.filter((o) => o.id !== emu.botUserId);
      const role = (await roles()).find((r) => r.name === 'Member')!;
      assert.equal((await api(emu, `/channels/${general.id}/permissions/${role.id}`, { method: 'PUT', body: { type: 0, allow: '64', deny: '0' } })).status, 204);
      assert.ok(emu.world.channel(general.id)!.channel.permission_overwrites!.some((o) => o.id === role.id && o.allow === '64'));
      assert.equal((await api(emu, `/channels/${general.id}/permissions/${role.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await api(emu, `/channels/${general.id}/permissions/${role.id}`, { method: 'DELETE' })).body.code, 10009);
    });

    it('refuses an overwrite granting a permission the bot lacks', async () => {
      const general = channelNamed(emu, 'general');
      const res = await api(emu, `/channels/${general.id}/permissions/${g}`, { method: 'PUT', body: { type: 0, allow: String(8n), deny: '0' } });
      assert.equal(res.body.code, 50013);
    });
  });

  describe('bans, emojis and stickers', () => {
    it('bans and unbans with the audit-log reason, never the owner or a higher member', async () => {
      const guild = emu.world.guild(g)!;
      const target = [...guild.members.values()].find((m) => m.roles.length === 1 && !m.user.bot)!;
      const ban = await api(emu, `/guilds/${g}/bans/${target.user.id}`, { method: 'PUT', body: {}, headers: { 'X-Audit-Log-Reason': encodeURIComponent('Restored ban: spam ✉️') } });
      assert.equal(ban.status, 204);
      assert.equal((await api(emu, `/guilds/${g}/bans/${target.user.id}`)).body.reason, 'Restored ban: spam ✉️');
      assert.ok(!guild.members.has(target.user.id));
      assert.equal((await api(emu, `/guilds/${g}/bans/${target.user.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await api(emu, `/guilds/${g}/bans/${target.user.id}`, { method: 'DELETE' })).body.code, 10026);
      assert.equal((await api(emu, `/guilds/${g}/bans/${guild.guild.owner_id}`, { method: 'PUT', body: {} })).body.code, 50013);
    });

    it('creates, renames and deletes emojis and stickers, served by the CDN', async () => {
      const emoji = await api(emu, `/guilds/${g}/emojis`, { method: 'POST', body: { name: 'restored_vault', image: PNG_1PX } });
      assert.equal(emoji.status, 201);
      assert.equal((await fetch(`${emu.cdnBaseUrl}/emojis/${emoji.body.id}.png`)).status, 200);
      assert.equal((await api(emu, `/guilds/${g}/emojis/${emoji.body.id}`, { method: 'PATCH', body: { name: 'renamed' } })).body.name, 'renamed');
      assert.equal((await api(emu, `/guilds/${g}/emojis`, { method: 'POST', body: { name: 'x', image: 'not an image' } })).body.code, 50035);
      assert.equal((await api(emu, `/guilds/${g}/emojis/${emoji.body.id}`, { method: 'DELETE' })).status, 204);

      const form = new FormData();
      form.append('name', 'Restored Sticker');
      form.append('tags', 'vault');
      form.append('description', 'from a backup');
      form.append('file', new Blob([Buffer.from(PNG_1PX.split(',')[1], 'base64')], { type: 'image/png' }), 'sticker.png');
      const res = await fetch(`${emu.apiBaseUrl}/v10/guilds/${g}/stickers`, { method: 'POST', headers: { Authorization: `Bot ${emu.token}` }, body: form });
      assert.equal(res.status, 201);
      const sticker = (await res.json()) as { id: string; name: string; format_type: number };
      assert.equal(sticker.name, 'Restored Sticker');
      assert.equal(sticker.format_type, 1);
      assert.equal((await fetch(`${emu.cdnBaseUrl}/stickers/${sticker.id}.png`)).status, 200);
      assert.equal((await api(emu, `/guilds/${g}/stickers/${sticker.id}`, { method: 'DELETE' })).status, 204);
    });
  });

  describe('messages, webhooks and threads', () => {
    it('executes a webhook with wait=true: the message exists with the given name', async () => {
      const channel = channelNamed(emu, 'off-topic');
      const hook = await api(emu, `/channels/${channel.id}/webhooks`, { method: 'POST', body: { name: 'Vault Replay' } });
      assert.equal(hook.status, 200);
      assert.ok(hook.body.token);
      const url = `/webhooks/${hook.body.id}/${hook.body.token}`;
      const sent = await api(emu, `${url}?wait=true`, { method: 'POST', token: null, body: { content: 'Replayed: héllo 👋', username: 'Original Author', avatar_url: 'https://cdn.example/a.png' } });
      assert.equal(sent.status, 200);
      assert.equal(sent.body.webhook_id, hook.body.id);
      assert.equal(sent.body.author.username, 'Original Author');
      const latest = (await api(emu, `/channels/${channel.id}/messages?limit=1`)).body;
      assert.equal(latest[0].id, sent.body.id);
      assert.equal(latest[0].content, 'Replayed: héllo 👋');
      const noWait = await api(emu, url, { method: 'POST', token: null, body: { content: 'fire and forget' } });
      assert.equal(noWait.status, 204);
      assert.equal((await api(emu, `/webhooks/${hook.body.id}/wrong-token?wait=true`, { method: 'POST', token: null, body: { content: 'x' } })).body.code, 50027);
    });

    it('executes a webhook with files (multipart): the attachments download byte for byte', async () => {
      const channel = channelNamed(emu, 'off-topic');
      const hook = (await api(emu, `/channels/${channel.id}/webhooks`, { method: 'POST', body: { name: 'Files' } })).body;
      const bytes = Buffer.from('restored file ✓\n'.repeat(100));
      const form = new FormData();
      form.append('payload_json', JSON.stringify({ content: 'with a file', attachments: [{ id: 0, filename: 'notes.txt', description: 'Restored notes' }] }));
      form.append('files[0]', new Blob([bytes], { type: 'text/plain' }), 'notes.txt');
      const res = await fetch(`${emu.apiBaseUrl}/v10/webhooks/${hook.id}/${hook.token}?wait=true`, { method: 'POST', body: form });
      assert.equal(res.status, 200);
      const message = (await res.json()) as { attachments: Array<{ url: string; size: number; filename: string; description?: string }> };
      assert.equal(message.attachments.length, 1);
      assert.equal(message.attachments[0].filename, 'notes.txt');
      assert.equal(message.attachments[0].description, 'Restored notes');
      assert.equal(message.attachments[0].size, bytes.length);
      const download = await fetch(message.attachments[0].url);
      assert.equal(download.status, 200);
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
    });

    it('posts into a thread with thread_id and opens a forum post with thread_name', async () => {
      const general = channelNamed(emu, 'general');
      const ideas = channelNamed(emu, 'ideas');
      const guild = emu.world.guild(g)!;
      const thread = [...guild.threads.values()].find((t) => t.parent_id === general.id && t.type === 11)!;
      const hook = (await api(emu, `/channels/${general.id}/webhooks`, { method: 'POST', body: { name: 'Replay' } })).body;
      const inThread = await api(emu, `/webhooks/${hook.id}/${hook.token}?wait=true&thread_id=${thread.id}`, { method: 'POST', token: null, body: { content: 'in the thread' } });
      assert.equal(inThread.body.channel_id, thread.id);
      const forumHook = (await api(emu, `/channels/${ideas.id}/webhooks`, { method: 'POST', body: { name: 'Replay' } })).body;
      assert.equal((await api(emu, `/webhooks/${forumHook.id}/${forumHook.token}?wait=true`, { method: 'POST', token: null, body: { content: 'x' } })).body.code, 220001);
      const post = await api(emu, `/webhooks/${forumHook.id}/${forumHook.token}?wait=true`, { method: 'POST', token: null, body: { content: 'first post', thread_name: 'Restored post', applied_tags: [ideas.available_tags![0].id] } });
      assert.equal(post.status, 200);
      const created = emu.world.channel(post.body.channel_id)!.channel;
      assert.equal(created.name, 'Restored post');
      assert.equal(created.id, post.body.id, 'a forum post’s id is its first message’s id');
      assert.deepEqual(created.applied_tags, [ideas.available_tags![0].id]);
    });

    it('replies, edits its own messages only, pins and reacts', async () => {
      const general = channelNamed(emu, 'general');
      const [target] = (await api(emu, `/channels/${general.id}/messages?limit=1`)).body;
      const reply = await api(emu, `/channels/${general.id}/messages`, { method: 'POST', body: { content: 'a reply', message_reference: { message_id: target.id } } });
      assert.equal(reply.body.type, 19);
      assert.equal(reply.body.referenced_message.id, target.id);
      const edited = await api(emu, `/channels/${general.id}/messages/${reply.body.id}`, { method: 'PATCH', body: { content: 'edited reply' } });
      assert.equal(edited.body.content, 'edited reply');
      assert.ok(edited.body.edited_timestamp);
      const others = (await api(emu, `/channels/${general.id}/messages?limit=20`)).body.find((m: { author: { id: string } }) => m.author.id !== emu.botUserId);
      assert.equal((await api(emu, `/channels/${general.id}/messages/${others.id}`, { method: 'PATCH', body: { content: 'hijack' } })).body.code, 50005);

      assert.equal((await api(emu, `/channels/${general.id}/pins/${others.id}`, { method: 'PUT' })).status, 204);
      const pins = (await api(emu, `/channels/${general.id}/messages/pins`)).body;
      assert.equal(pins.items[0].message.id, others.id);
      assert.equal((await api(emu, `/channels/${general.id}/pins`)).body[0].id, others.id);
      assert.equal((await api(emu, `/channels/${general.id}/messages/pins/${others.id}`, { method: 'DELETE' })).status, 204);
      assert.ok(!(await api(emu, `/channels/${general.id}/pins`)).body.some((m: { id: string }) => m.id === others.id));

      const emoji = encodeURIComponent('🧵');
      assert.equal((await api(emu, `/channels/${general.id}/messages/${others.id}/reactions/${emoji}/@me`, { method: 'PUT' })).status, 204);
      const users = (await api(emu, `/channels/${general.id}/messages/${others.id}/reactions/${emoji}`)).body;
      assert.deepEqual(users.map((u: { id: string }) => u.id), [emu.botUserId]);
      const msg = (await api(emu, `/channels/${general.id}/messages/${others.id}`)).body;
      assert.ok(msg.reactions.some((r: { emoji: { name: string }; count: number; me: boolean }) => r.emoji.name === '🧵' && r.count === 1 && r.me));
    });

    it('keeps last_pin_timestamp at the newest pin, through pins and unpins', async () => {
      const general = channelNamed(emu, 'off-topic');
      const before = (await api(emu, `/channels/${general.id}`)).body.last_pin_timestamp;
      const pins = (await api(emu, `/channels/${general.id}/messages/pins`)).body.items as Array<{ pinned_at: string; message: { id: string } }>;
      assert.equal(before, pins[0]?.pinned_at ?? null);
      const [old] = (await api(emu, `/channels/${general.id}/messages?after=0&limit=1`)).body;
      await api(emu, `/channels/${general.id}/messages/pins/${old.id}`, { method: 'PUT' });
      const pinned = (await api(emu, `/channels/${general.id}`)).body.last_pin_timestamp;
      assert.ok(Math.abs(Date.parse(pinned) - Date.now()) < 10_000);
      assert.equal((await api(emu, `/channels/${general.id}/messages/pins?limit=1`)).body.items[0].message.id, old.id);
      await api(emu, `/channels/${general.id}/messages/pins/${old.id}`, { method: 'DELETE' });
      assert.equal((await api(emu, `/channels/${general.id}`)).body.last_pin_timestamp, before);
    });

    it('lists who reacted to generated messages, as many as the count, paged by user id', async () => {
      for (const channelId of emu.world.readableChannelIds(g)) {
        const page = (await api(emu, `/channels/${channelId}/messages?limit=100`)).body as Array<{ id: string; reactions?: Array<{ count: number; emoji: { id: string | null; name: string } }> }>;
        const message = page.find((m) => m.reactions?.some((r) => r.count >= 3));
        if (!message) continue;
        const reaction = message.reactions!.find((r) => r.count >= 3)!;
        const key = encodeURIComponent(reaction.emoji.id ? `${reaction.emoji.name}:${reaction.emoji.id}` : reaction.emoji.name);
        const all = (await api(emu, `/channels/${channelId}/messages/${message.id}/reactions/${key}?limit=100`)).body as Array<{ id: string }>;
        assert.equal(all.length, reaction.count);
        const rest = (await api(emu, `/channels/${channelId}/messages/${message.id}/reactions/${key}?after=${all[0].id}`)).body as Array<{ id: string }>;
        assert.deepEqual(rest.map((u) => u.id), all.slice(1).map((u) => u.id));
        return;
      }
      assert.fail('no message with 3+ reactions');
    });

    it('creates threads from a message and without one, and forum posts with a starter message', async () => {
      const general = channelNamed(emu, 'general');
      const [m] = (await api(emu, `/channels/${general.id}/messages?limit=1&before=${emu.world.channel(general.id)!.channel.last_message_id}`)).body;
      const fromMessage = await api(emu, `/channels/${general.id}/messages/${m.id}/threads`, { method: 'POST', body: { name: 'From a message' } });
      assert.equal(fromMessage.status, 201);
      assert.equal(fromMessage.body.id, m.id);
      assert.equal((await api(emu, `/channels/${general.id}/messages/${m.id}`)).body.thread.id, m.id);
      const priv = await api(emu, `/channels/${general.id}/threads`, { method: 'POST', body: { name: 'Private one', type: 12 } });
      assert.equal(priv.body.type, 12);
      const active = (await api(emu, `/guilds/${g}/threads/active`)).body.threads.map((t: { id: string }) => t.id);
      assert.ok(active.includes(fromMessage.body.id) && active.includes(priv.body.id));
      const ideas = channelNamed(emu, 'ideas');
      const post = await api(emu, `/channels/${ideas.id}/threads`, { method: 'POST', body: { name: 'Forum post', message: { content: 'starter' } } });
      assert.equal(post.status, 201);
      assert.equal(post.body.message.id, post.body.id);
      assert.equal((await api(emu, `/channels/${ideas.id}/threads`, { method: 'POST', body: { name: 'no message' } })).body.code, 50035);
      const archived = await api(emu, `/channels/${priv.body.id}`, { method: 'PATCH', body: { archived: true } });
      assert.equal(archived.body.thread_metadata.archived, true);
      // An archived thread takes no edit unless the same request unarchives it.
      const refused = await api(emu, `/channels/${priv.body.id}`, { method: 'PATCH', body: { name: 'Renamed while archived' } });
      assert.deepEqual([refused.status, refused.body.code], [400, 50083]);
      const reopened = await api(emu, `/channels/${priv.body.id}`, { method: 'PATCH', body: { name: 'Renamed', archived: false } });
      assert.deepEqual([reopened.body.name, reopened.body.thread_metadata.archived], ['Renamed', false]);
    });
  });
});

describe('emulator: a guild the bot owns', () => {
  it('lets the owner bot manage every role and ban anyone, and says it owns the guild', async () => {
    const emu = await startEmulator({ seed: 32, rateLimits: false, guilds: [{ name: 'Restore Target', layout: 'plain', textChannels: 1, messagesPerChannel: 0, members: 3, botOwnsGuild: true, botPermissions: 0n }] });
    try {
      const g = emu.guildIds[0];
      const guilds = (await api(emu, '/users/@me/guilds')).body;
      assert.equal(guilds[0].owner, true);
      const roles = (await api(emu, `/guilds/${g}/roles`)).body as Array<{ id: string; name: string; position: number }>;
      const admin = roles.find((r) => r.name === 'Admin')!;
      assert.equal((await api(emu, `/guilds/${g}/roles/${admin.id}`, { method: 'PATCH', body: { name: 'Admins' } })).body.name, 'Admins');
      const created = (await api(emu, `/guilds/${g}/roles`, { method: 'POST', body: { name: 'Top', permissions: '8' } })).body;
      const top = roles.length;
      assert.equal((await api(emu, `/guilds/${g}/roles`, { method: 'PATCH', body: [{ id: created.id, position: top }] })).status, 200);
      const member = [...emu.world.guild(g)!.members.values()].find((m) => m.roles.some((r) => r === admin.id))!;
      assert.equal((await api(emu, `/guilds/${g}/bans/${member.user.id}`, { method: 'PUT', body: {} })).status, 204);
    } finally {
      await emu.close();
    }
  });
});
