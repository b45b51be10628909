import assert from 'node:assert/strict';
import { startEmulator, type Emulator, DEMO_GUILD_NAME } from '../../src/emulator';
import { api } from './helpers';

describe('emulator: start, token, users and guilds', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 7, size: 'demo', rateLimits: false });
  });
  after(() => emu.close());

  it('listens on 127.0.0.1 and names its API, CDN, token and guilds', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.apiBaseUrl, `${emu.url}/api`);
    assert.equal(emu.cdnBaseUrl, `${emu.url}/cdn`);
    assert.ok(emu.guildIds.length >= 1);
    assert.equal(emu.world.guild(emu.guildIds[0])!.guild.name, DEMO_GUILD_NAME);
  });

  it('uses 17-19 digit snowflakes', async () => {
    for (const id of [...emu.guildIds, emu.botUserId]) assert.match(id, /^\d{17,19}$/);
    const channels = (await api(emu, `/guilds/${emu.guildIds[0]}/channels`)).body as Array<{ id: string }>;
    for (const c of channels) assert.match(c.id, /^\d{17,19}$/);
  });

  it('answers 401 with code 0 for a bad or missing token', async () => {
    for (const token of ['not-a-token', null]) {
      const res = await api(emu, '/users/@me', { token });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { message: '401: Unauthorized', code: 0 });
    }
  });

  it('answers unknown routes with 404 code 0 and unknown ids with Discord codes', async () => {
    assert.deepEqual((await api(emu, '/no/such/route')).body, { message: '404: Not Found', code: 0 });
    const guild = await api(emu, '/guilds/123456789012345678');
    assert.equal(guild.status, 404);
    assert.equal(guild.body.code, 10004);
    const channel = await api(emu, '/channels/123456789012345678/messages');
    assert.equal(channel.body.code, 10003);
  });

  it('returns the bot as the current user', async () => {
    const me = await api(emu, '/users/@me');
    assert.equal(me.status, 200);
    assert.equal(me.body.id, emu.botUserId);
    assert.equal(me.body.bot, true);
  });

  it('pages the current user guilds with after/before/limit', async () => {
    const all = (await api(emu, '/users/@me/guilds')).body as Array<{ id: string; permissions: string }>;
    assert.deepEqual(all.map((g) => g.id), [...emu.guildIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const first = (await api(emu, '/users/@me/guilds?limit=1')).body;
    assert.equal(first.length, 1);
    const next = (await api(emu, `/users/@me/guilds?limit=1&after=${first[0].id}`)).body;
    assert.equal(next[0].id, all[1].id);
    const back = (await api(emu, `/users/@me/guilds?before=${all[1].id}`)).body;
    assert.deepEqual(back.map((g: { id: string }) => g.id), [all[0].id]);
    assert.equal((await api(emu, '/users/@me/guilds?limit=201')).body.code, 50035);
  });

  it('returns the guild with counts, roles, emojis and stickers', async () => {
    const g = await api(emu, `/guilds/${emu.guildIds[0]}?with_counts=true`);
    assert.equal(g.status, 200);
    assert.equal(g.body.name, DEMO_GUILD_NAME);
    assert.ok(g.body.approximate_member_count > 40);
    assert.ok(g.body.roles.some((r: { managed: boolean; tags?: { bot_id?: string } }) => r.managed && r.tags?.bot_id === emu.botUserId));
    assert.ok(g.body.emojis.length > 0 && g.body.stickers.length > 0);
    const plain = await api(emu, `/guilds/${emu.guildIds[0]}`);
    assert.equal(plain.body.approximate_member_count, undefined);
  });

  it('generates the same world from the same seed', async () => {
    const again = await startEmulator({ seed: 7, size: 'demo', rateLimits: false });
    try {
      assert.deepEqual(again.guildIds, emu.guildIds);
      const channel = [...emu.world.guild(emu.guildIds[0])!.channels.values()].find((c) => c.name === 'general')!;
      const a = (await api(emu, `/channels/${channel.id}/messages?limit=100`)).body;
      const b = (await api(again, `/channels/${channel.id}/messages?limit=100`)).body;
      // Only the port differs (URLs are signed with the same key and time window).
      const strip = (ms: unknown) => JSON.stringify(ms).replace(/127\.0\.0\.1:\d+/g, 'HOST').replace(/([?&](ex|is|hm)=)[0-9a-f]+/g, '$1');
      assert.deepEqual(strip(a), strip(b));
    } finally {
      await again.close();
    }
  });

  it('generates every channel type, threads, forum posts and hidden channels in the demo', () => {
    const guild = emu.world.guild(emu.guildIds[0])!;
    const types = new Set([...guild.channels.values()].map((c) => c.type));
    for (const t of [0, 2, 4, 5, 13, 15, 16]) assert.ok(types.has(t), `channel type ${t}`);
    const threads = [...guild.threads.values()];
    assert.ok(threads.some((t) => t.type === 11 && t.thread_metadata!.archived));
    assert.ok(threads.some((t) => t.type === 12 && t.thread_metadata!.archived));
    assert.ok(threads.some((t) => t.type === 11 && !t.thread_metadata!.archived));
    assert.ok(threads.some((t) => (t.applied_tags ?? []).length > 0));
    const withMessages = emu.world.channelIdsWithMessages(emu.guildIds[0]);
    const readable = emu.world.readableChannelIds(emu.guildIds[0]);
    assert.ok(readable.length < withMessages.length, 'some channels are not readable by the bot');
    let total = 0;
    for (const id of withMessages) total += emu.world.messageCount(id);
    assert.ok(total > 2000 && total < 6000, `demo has a few thousand messages (${total})`);
  });
});
