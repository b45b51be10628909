import * as assert from 'node:assert/strict';
import type { APIThreadChannel } from 'discord-api-types/v10';
import { compareSnowflakes, DiscordClient } from '../../../src/core/discord';
import { listBotGuilds } from '../../../src/core/connect';
import { startEmulator, type Emulator } from '../../../src/emulator';

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<{ items: T[]; pageSizes: number[] }> {
  const items: T[] = [];
  const pageSizes: number[] = [];
  for await (const page of pages) {
    items.push(...page);
    pageSizes.push(page.length);
  }
  return { items, pageSizes };
}

const descending = (ids: string[]) => [...ids].sort((a, b) => compareSnowflakes(b, a));
const ascending = (ids: string[]) => [...ids].sort(compareSnowflakes);

describe('DiscordClient pagination against the emulator', function () {
  describe('a large plain server', () => {
    let emu: Emulator;
    let client: DiscordClient;
    let guildId: string;
    let channelId: string;
    let truth: string[]; // message ids, oldest first

    before(async () => {
      emu = await startEmulator({ seed: 11, size: { channels: 1, messagesPerChannel: 250, members: 2100, bans: 2300 }, rateLimits: false });
      client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl });
      guildId = emu.guildIds[0]!;
      channelId = emu.world.readableChannelIds(guildId)[0]!;
      truth = [...emu.world.messageIds(channelId)];
      assert.equal(truth.length, 250);
    });
    after(async () => emu.close());
    beforeEach(() => emu.requestLog.clear());

    it('messagesBefore walks back to the first message: every id once, newest first, full pages', async () => {
      const { items, pageSizes } = await collect(client.messagesBefore(channelId));
      assert.deepEqual(items.map((m) => m.id), descending(truth));
      assert.deepEqual(pageSizes, [100, 100, 50]);
      // The short last page ends the walk: no request for an empty page.
      assert.equal(emu.requestLog.count({ route: '/channels/{channel_id}/messages' }), 3);
    });

    it('messagesBefore starts below a given id and honours a smaller limit', async () => {
      const start = truth[120]!;
      const { items, pageSizes } = await collect(client.messagesBefore(channelId, start, { limit: 50 }));
      assert.deepEqual(items.map((m) => m.id), descending(truth.slice(0, 120)));
      assert.deepEqual(pageSizes, [50, 50, 20]);
    });

    it('messagesAfter returns everything newer than the cursor exactly once', async () => {
      const after = truth[29]!;
      const { items } = await collect(client.messagesAfter(channelId, after));
      const ids = items.map((m) => m.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(ascending(ids), truth.slice(30));
      assert.ok(ids.every((id) => compareSnowflakes(id, after) > 0));
    });

    it('messagesAfter the newest message yields nothing', async () => {
      const { items } = await collect(client.messagesAfter(channelId, truth[truth.length - 1]!));
      assert.deepEqual(items, []);
    });

    it('bans pages by user id, 1000 at a time, each ban once', async () => {
      const { items, pageSizes } = await collect(client.bans(guildId));
      const expected = ascending([...emu.world.guild(guildId)!.bans.keys()]);
      assert.deepEqual(items.map((ban) => ban.user.id), expected);
      assert.deepEqual(pageSizes, [1000, 1000, expected.length - 2000]);
    });

    it('members pages by user id, each member once', async () => {
      const { items } = await collect(client.members(guildId));
      const expected = ascending([...emu.world.guild(guildId)!.members.keys()]);
      assert.ok(expected.length > 2000);
      assert.deepEqual(items.map((member) => member.user.id), expected);
    });

    it('lists the servers the bot is in', async () => {
      const guilds = await listBotGuilds(client);
      assert.deepEqual(guilds.map((g) => g.id).sort(compareSnowflakes), [...emu.guildIds].sort(compareSnowflakes));
    });
  });

  describe('the demo server\'s threads', () => {
    let emu: Emulator;
    let client: DiscordClient;
    let guildId: string;

    before(async () => {
      emu = await startEmulator({ seed: 3, size: 'small', rateLimits: false });
      client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl });
      guildId = emu.guildIds[0]!;
    });
    after(async () => emu.close());

    /** Archived threads of a kind under each parent, from the emulator's own state. */
    function expectedArchived(type: 11 | 12): Map<string, string[]> {
      const byParent = new Map<string, string[]>();
      for (const thread of emu.world.guild(guildId)!.threads.values()) {
        const t = thread as unknown as APIThreadChannel;
        if (t.type !== type || !t.thread_metadata?.archived || !t.parent_id) continue;
        byParent.set(t.parent_id, [...(byParent.get(t.parent_id) ?? []), t.id]);
      }
      return byParent;
    }

    it('archivedThreads lists every archived public thread once, most recently archived first', async () => {
      const expected = expectedArchived(11);
      assert.ok(expected.size > 0, 'the demo server has archived public threads');
      for (const [parentId, ids] of expected) {
        const { items } = await collect(client.archivedThreads(parentId, 'public'));
        assert.deepEqual(items.map((t) => t.id).sort(compareSnowflakes), ids.sort(compareSnowflakes));
        const times = items.map((t) => Date.parse(t.thread_metadata!.archive_timestamp));
        assert.deepEqual(times, [...times].sort((a, b) => b - a));
      }
    });

    it('archivedThreads lists archived private threads (private and joined)', async () => {
      const expected = expectedArchived(12);
      for (const [parentId, ids] of expected) {
        const { items } = await collect(client.archivedThreads(parentId, 'private'));
        assert.deepEqual(items.map((t) => t.id).sort(compareSnowflakes), ids.sort(compareSnowflakes));
        const joined = await collect(client.archivedThreads(parentId, 'joined'));
        const joinedIds = ids.filter((id) => emu.world.guild(guildId)!.joinedThreadIds.has(id));
        assert.deepEqual(joined.items.map((t) => t.id).sort(compareSnowflakes), joinedIds.sort(compareSnowflakes));
      }
    });
  });

  describe('archived threads over several pages', () => {
    let emu: Emulator;
    let client: DiscordClient;
    let channelId: string;
    const created: string[] = [];

    before(async function () {
      this.timeout(60_000);
      emu = await startEmulator({ seed: 13, size: { channels: 1, messagesPerChannel: 10 }, rateLimits: false });
      // Unpaced, so that bursts of archiving land in the same millisecond.
      client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, globalRequestsPerSecond: 1_000_000 });
      channelId = emu.world.readableChannelIds(emu.guildIds[0]!)[0]!;
      // 231 threads archived in bursts of 7: threads of a burst share an archive timestamp (to the
      // millisecond), and bursts straddle the page boundaries at 100 and 200: there, paging by an
      // exclusive `before` = the last timestamp of a page skips the rest of the burst.
      for (let batch = 0; batch < 33; batch++) {
        const threads = await Promise.all(
          Array.from({ length: 7 }, (_, i) =>
            client.post<APIThreadChannel>(`/channels/${channelId}/threads`, { body: { name: `thread ${batch}-${i}`, type: 11, auto_archive_duration: 60 } }),
          ),
        );
        await Promise.all(threads.map((thread) => client.patch(`/channels/${thread.id}`, { body: { archived: true } })));
        created.push(...threads.map((thread) => thread.id));
      }
    });
    after(async () => emu.close());

    it('pages with has_more through every archived thread exactly once, even when timestamps tie across pages', async function () {
      const stamps = [...emu.world.guild(emu.guildIds[0]!)!.threads.values()]
        .filter((t) => t.parent_id === channelId)
        .map((t) => Date.parse((t as unknown as APIThreadChannel).thread_metadata!.archive_timestamp))
        .sort((a, b) => b - a);
      // Without a tie across a page boundary this would prove nothing (a machine too slow to tie).
      if (stamps[99] !== stamps[100] && stamps[199] !== stamps[200]) this.skip();
      emu.requestLog.clear();
      const { items, pageSizes } = await collect(client.archivedThreads(channelId, 'public'));
      const ids = items.map((t) => t.id);
      assert.equal(new Set(ids).size, ids.length, 'no thread twice');
      assert.deepEqual([...ids].sort(compareSnowflakes), [...created].sort(compareSnowflakes));
      assert.ok(pageSizes.length >= 3, `pages: ${pageSizes.join(', ')}`);
    });
  });
});
