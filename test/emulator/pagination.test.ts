import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';

const big = (id: string) => BigInt(id);
const isNewestFirst = (ids: string[]) => ids.every((id, i) => i === 0 || big(ids[i - 1]) > big(id));

describe('emulator: pagination', () => {
  let emu: Emulator;
  let channelId: string;
  let truth: string[];
  before(async () => {
    emu = await startEmulator({ seed: 21, size: { channels: 1, messagesPerChannel: 730, members: 2300, bans: 1500 }, rateLimits: false });
    channelId = emu.world.readableChannelIds(emu.guildIds[0])[0];
    truth = [...emu.world.messageIds(channelId)];
  });
  after(() => emu.close());

  const ids = async (query: string) => {
    const res = await api(emu, `/channels/${channelId}/messages${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as Array<{ id: string }>).map((m) => m.id);
  };

  it('returns the newest 50 by default, newest first', async () => {
    const page = await ids('');
    assert.deepEqual(page, truth.slice(-50).reverse());
  });

  it('walks back with before to the first message, every id once', async () => {
    const seen: string[] = [];
    let before = '';
    for (;;) {
      const page = await ids(`?limit=100${before}`);
      assert.ok(isNewestFirst(page));
      seen.push(...page);
      if (page.length < 100) break;
      before = `&before=${page[page.length - 1]}`;
    }
    assert.deepEqual(seen, [...truth].reverse());
  });

  it('returns the messages right after a cursor, still newest first', async () => {
    const page = await ids(`?after=${truth[99]}&limit=10`);
    assert.deepEqual(page, truth.slice(100, 110).reverse());
    assert.deepEqual(await ids(`?after=${truth[truth.length - 1]}`), []);
    // A cursor that is not a message id works too (snowflakes are ordered by time).
    assert.deepEqual(await ids(`?after=0&limit=3`), truth.slice(0, 3).reverse());
  });

  it('walks forward with after, taking the max id of each page as the next cursor', async () => {
    const seen: string[] = [];
    let cursor = truth[0];
    for (;;) {
      const page = await ids(`?after=${cursor}&limit=100`);
      if (page.length === 0) break;
      assert.ok(isNewestFirst(page));
      seen.push(...[...page].reverse());
      cursor = page[0];
    }
    assert.deepEqual(seen, truth.slice(1));
  });

  it('centres around on a message', async () => {
    const page = await ids(`?around=${truth[300]}&limit=5`);
    assert.deepEqual(page, truth.slice(298, 303).reverse());
    assert.deepEqual(await ids(`?around=${truth[300]}&limit=1`), [truth[300]]);
  });

  it('rejects limits outside 1-100 and non-snowflake cursors with 50035', async () => {
    for (const [query, field, code] of [
      ['?limit=0', 'limit', 'NUMBER_TYPE_MIN'],
      ['?limit=101', 'limit', 'NUMBER_TYPE_MAX'],
      ['?limit=abc', 'limit', 'NUMBER_TYPE_COERCE'],
      ['?before=yesterday', 'before', 'NUMBER_TYPE_COERCE'],
    ]) {
      const res = await api(emu, `/channels/${channelId}/messages${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.code, 50035);
      assert.equal(res.body.message, 'Invalid Form Body');
      assert.equal(res.body.errors[field]._errors[0].code, code);
    }
    assert.equal((await ids('?limit=100')).length, 100);
    assert.equal((await ids('?limit=1')).length, 1);
  });

  it('skips deleted messages and appends posted ones as the newest', async () => {
    const victim = truth[500];
    assert.equal((await api(emu, `/channels/${channelId}/messages/${victim}`, { method: 'DELETE' })).status, 204);
    const posted = await api(emu, `/channels/${channelId}/messages`, { method: 'POST', body: { content: 'fresh' } });
    assert.equal(posted.status, 200);
    const page = await ids(`?before=${truth[502]}&limit=3`);
    assert.deepEqual(page, [truth[501], truth[499], truth[498]]);
    assert.deepEqual(await ids('?limit=1'), [posted.body.id]);
    assert.ok(big(posted.body.id) > big(truth[truth.length - 1]));
    assert.equal((await api(emu, `/channels/${channelId}/messages/${victim}`)).body.code, 10008);
    assert.equal(emu.world.messageCount(channelId), truth.length);
  });

  it('pages members by user id with after and limit up to 1000', async () => {
    const guildId = emu.guildIds[0];
    const expected = [...emu.world.guild(guildId)!.members.keys()].sort((a, b) => (big(a) < big(b) ? -1 : 1));
    const seen: string[] = [];
    let after = '0';
    for (;;) {
      const page = (await api(emu, `/guilds/${guildId}/members?limit=1000&after=${after}`)).body as Array<{ user: { id: string } }>;
      seen.push(...page.map((m) => m.user.id));
      if (page.length < 1000) break;
      after = page[page.length - 1].user.id;
    }
    assert.deepEqual(seen, expected);
    assert.equal((await api(emu, `/guilds/${guildId}/members`)).body.length, 1, 'default limit is 1');
    assert.equal((await api(emu, `/guilds/${guildId}/members?limit=1001`)).body.code, 50035);
  });

  it('pages bans by user id with after, and before from the end', async () => {
    const guildId = emu.guildIds[0];
    const expected = [...emu.world.guild(guildId)!.bans.keys()].sort((a, b) => (big(a) < big(b) ? -1 : 1));
    const first = (await api(emu, `/guilds/${guildId}/bans?limit=1000`)).body as Array<{ user: { id: string }; reason: string | null }>;
    const rest = (await api(emu, `/guilds/${guildId}/bans?limit=1000&after=${first[first.length - 1].user.id}`)).body as typeof first;
    assert.deepEqual([...first, ...rest].map((b) => b.user.id), expected);
    const before = (await api(emu, `/guilds/${guildId}/bans?limit=10&before=${expected[100]}`)).body as typeof first;
    assert.deepEqual(before.map((b) => b.user.id), expected.slice(90, 100));
    assert.ok(first.some((b) => b.reason === null) && first.some((b) => typeof b.reason === 'string'));
  });
});

describe('emulator: thread listing', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 5, size: 'small', rateLimits: false });
  });
  after(() => emu.close());

  it('lists active threads the bot can see, with its thread memberships', async () => {
    const guildId = emu.guildIds[0];
    const res = await api(emu, `/guilds/${guildId}/threads/active`);
    const names = (res.body.threads as Array<{ name: string; thread_metadata: { archived: boolean } }>).map((t) => t.name);
    assert.ok(names.includes('Printer troubleshooting 🖨️'));
    assert.ok(res.body.threads.every((t: { thread_metadata: { archived: boolean } }) => !t.thread_metadata.archived));
    assert.ok(res.body.members.every((m: { user_id: string }) => m.user_id === emu.botUserId));
  });

  it('pages archived public threads by archive time with has_more', async () => {
    const general = channelNamed(emu, 'general');
    const all = (await api(emu, `/channels/${general.id}/threads/archived/public`)).body;
    assert.ok(all.threads.length >= 2);
    const first = (await api(emu, `/channels/${general.id}/threads/archived/public?limit=2`)).body;
    assert.equal(first.has_more, all.threads.length > 2);
    const times = all.threads.map((t: { thread_metadata: { archive_timestamp: string } }) => Date.parse(t.thread_metadata.archive_timestamp));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const next = (await api(emu, `/channels/${general.id}/threads/archived/public?before=${encodeURIComponent(first.threads[0].thread_metadata.archive_timestamp)}`)).body;
    assert.deepEqual(next.threads.map((t: { id: string }) => t.id), all.threads.slice(1).map((t: { id: string }) => t.id));
    assert.equal((await api(emu, `/channels/${general.id}/threads/archived/public?limit=1`)).body.code, 50035);
  });

  it('lists archived private threads and the joined ones', async () => {
    const staff = channelNamed(emu, 'staff-chat');
    const priv = (await api(emu, `/channels/${staff.id}/threads/archived/private`)).body;
    assert.ok(priv.threads.length >= 1 && priv.threads.every((t: { type: number }) => t.type === 12));
    const joined = (await api(emu, `/channels/${staff.id}/users/@me/threads/archived/private`)).body;
    const guild = emu.world.guild(emu.guildIds[0])!;
    assert.ok(joined.threads.every((t: { id: string }) => guild.joinedThreadIds.has(t.id)));
  });
});
