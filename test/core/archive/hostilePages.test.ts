/**
 * Message pages that Discord would never send, served by the emulator's
 * `answer` fault: a page repeated forever, a message id outside the range that
 * was asked for. A sync must end (never loop), say which channel and why, and
 * never record such a channel as complete: the next clean run fills it exactly.
 */
import * as assert from 'node:assert/strict';
import type { APIMessage } from 'discord-api-types/v10';
import { listArchivedChannels, syncArchive } from '../../../src/core/archive';
import { isDiscordApiError } from '../../../src/core/discord';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { archivedIds, clientFor, tempVault } from './emulatorHarness';

const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('archive sync against message pages Discord would never send', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let guildId: string;
  let channelId: string;

  before(async () => {
    emu = await startEmulator({ seed: 21, size: { channels: 2, messagesPerChannel: 350 }, rateLimits: false });
    guildId = emu.guildIds[0]!;
    channelId = emu.world.readableChannelIds(guildId).find((id) => emu.world.messageCount(id) >= 300)!;
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  const onlyThisChannel = () => new RegExp(`^/channels/${channelId}/messages$`);
  const page = (query: Record<string, string>) => clientFor(emu).get<APIMessage[]>(`/channels/${channelId}/messages`, { query: { limit: 100, ...query } });
  const requestsToChannel = () => emu.requestLog.filter((e) => e.path.startsWith(`/channels/${channelId}/messages?`)).length;

  async function expectIncompleteThenRepaired(pattern: RegExp): Promise<void> {
    const vault = tempVault('gv-hostile-pages-');
    try {
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      assert.ok(requestsToChannel() < 20, `the walk ended (${requestsToChannel()} requests)`);
      const failure = report.failed.find((f) => f.id === channelId);
      assert.ok(failure, `the channel is reported as failed: ${JSON.stringify(report.failed)}`);
      assert.match(failure.problem, pattern);
      const row = listArchivedChannels(vault).find((c) => c.id === channelId)!;
      assert.notEqual(row.status, 'ok', 'not recorded as complete');
      emu.faults.clear();
      const again = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      assert.equal(again.failed.length, 0, JSON.stringify(again.failed));
      assert.deepEqual(archivedIds(vault, channelId), [...emu.world.messageIds(channelId)], 'the next clean run fills the channel exactly');
    } finally {
      vault.close();
    }
  }

  it('stops a first walk whose pages repeat the previous one forever, naming the channel, and completes it next time', async () => {
    const newest = await page({});
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify(newest), times: 100_000 });
    await expectIncompleteThenRepaired(/did not answer like Discord.*(repeat|no older)/i);
  });

  it('archives a page in the wrong order, or holding one message twice, exactly (nothing lost, nothing doubled)', async () => {
    const newest = await page({});
    const second = await page({ before: newest[newest.length - 1]!.id });
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify([...newest].reverse()), times: 1 });
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify([second[0]!, ...second.slice(0, 99)]), times: 1 });
    const vault = tempVault('gv-hostile-order-');
    try {
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
      assert.equal(emu.requestLog.filter((e) => e.fault === 'answer').length, 2, 'both odd pages were served');
      assert.deepEqual(archivedIds(vault, channelId), [...emu.world.messageIds(channelId)]);
    } finally {
      vault.close();
    }
  });

  it('refuses a page whose message ids are not Discord ids, storing none of it', async () => {
    const newest = await page({});
    for (const id of ['1e3', '-1', '../../etc/passwd', ' 1']) {
      emu.faults.clear();
      const forged = [...newest.slice(0, 99), { ...newest[99]!, id }];
      emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify(forged), times: 1 });
      const vault = tempVault('gv-hostile-ids-');
      try {
        const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
        const failure = report.failed.find((f) => f.id === channelId);
        assert.match(failure?.problem ?? '', /did not answer like Discord.*not a Discord id/, `${id}: ${JSON.stringify(report.failed)}`);
        assert.equal((vault.db.prepare('SELECT count(*) AS n FROM messages WHERE typeof(id) <> \'integer\' OR id < 1000').get() as { n: number }).n, 0, id);
      } finally {
        vault.close();
      }
    }
  });

  it('refuses a page holding another channel\'s message, which would move it out of that channel', async () => {
    const other = emu.world.readableChannelIds(guildId).find((id) => id !== channelId && emu.world.messageCount(id) > 0)!;
    const newest = await page({});
    const [low, high] = [newest[newest.length - 1]!.id, newest[0]!.id];
    const within = [...emu.world.messageIds(other)].find((id) => BigInt(id) > BigInt(low) && BigInt(id) < BigInt(high))!;
    assert.ok(within, 'the other channel has a message in this page\'s range');
    const theirs = await clientFor(emu).get<APIMessage>(`/channels/${other}/messages/${within}`);
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify([...newest.slice(0, 99), theirs]), times: 1 });
    const vault = tempVault('gv-hostile-other-');
    try {
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      assert.match(report.failed.find((f) => f.id === channelId)?.problem ?? '', new RegExp(`did not answer like Discord.*message ${within} of channel ${other}`), JSON.stringify(report.failed));
      assert.deepEqual(archivedIds(vault, other), [...emu.world.messageIds(other)], 'the other channel keeps every message');
    } finally {
      vault.close();
    }
  });

  it('refuses a page asked with `before` that holds a newer message', async () => {
    const newest = await page({});
    const before = newest[50]!.id;
    const forged = [newest[0]!, ...newest.slice(51)];
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify(forged), times: 1 });
    const error = await collect(clientFor(emu).messagesBefore(channelId, before)).catch((e: unknown) => e);
    assert.ok(isDiscordApiError(error, 'API_NOT_DISCORD'), String(error));
    assert.match((error as Error).message, new RegExp(`id ${newest[0]!.id} outside`));
  });

  it('stops a forward walk whose pages repeat forever, and a member list that does the same', async () => {
    const oldest = await page({ after: '0' });
    emu.faults.answer({ method: 'GET', route: onlyThisChannel(), status: 200, headers: JSON_TYPE, body: JSON.stringify(oldest), times: 100_000 });
    const error = await collect(clientFor(emu).messagesAfter(channelId, '0')).catch((e: unknown) => e);
    assert.ok(isDiscordApiError(error, 'API_NOT_DISCORD'), String(error));
    assert.ok(requestsToChannel() < 5, `ended after ${requestsToChannel()} requests`);
    emu.faults.clear();
    emu.requestLog.clear();
    const client = clientFor(emu);
    const ban = (i: number) => ({ reason: null, user: { id: String(100000000000000000n + BigInt(i)), username: `banned${i}`, discriminator: '0', global_name: null, avatar: null } });
    const full = Array.from({ length: 1000 }, (_, i) => ban(i));
    emu.faults.answer({ method: 'GET', route: '/guilds/{guild_id}/bans', status: 200, headers: JSON_TYPE, body: JSON.stringify(full), times: 100_000 });
    const bans = await collect(client.bans(guildId)).catch((e: unknown) => e);
    assert.ok(isDiscordApiError(bans, 'API_NOT_DISCORD'), String(bans));
    assert.ok(emu.requestLog.filter((e) => e.route === '/guilds/{guild_id}/bans').length < 5);
  });

  it('says so when archived thread pages repeat with has_more, instead of ending as if the list were complete', async () => {
    const thread = (i: number) => ({ id: String(900000000000000000n + BigInt(i)), type: 11, parent_id: channelId, guild_id: guildId, name: `t${i}`, thread_metadata: { archived: true, archive_timestamp: '2024-05-01T00:00:00.000000+00:00', auto_archive_duration: 60, locked: false } });
    const body = { threads: [thread(1), thread(2)], members: [], has_more: true };
    for (const kind of ['public', 'joined'] as const) {
      emu.faults.clear();
      emu.faults.answer({ method: 'GET', route: /threads\/archived/, status: 200, headers: JSON_TYPE, body: JSON.stringify(body), times: 100_000 });
      const error = await collect(clientFor(emu).archivedThreads(channelId, kind)).catch((e: unknown) => e);
      assert.ok(isDiscordApiError(error, 'API_NOT_DISCORD'), `${kind}: ${String(error)}`);
    }
    emu.faults.clear();
    const undated = { threads: [{ ...thread(3), thread_metadata: { archived: true, auto_archive_duration: 60, locked: false } }], members: [], has_more: true };
    emu.faults.answer({ method: 'GET', route: /threads\/archived/, status: 200, headers: JSON_TYPE, body: JSON.stringify(undated), times: 1 });
    assert.match(String(await collect(clientFor(emu).archivedThreads(channelId, 'public')).catch((e: unknown) => e)), /no thread has an archive timestamp/);
  });

  it('stops pin pages that say has_more and repeat forever', async () => {
    const [message] = await page({ limit: '1' });
    const body = { items: [{ pinned_at: '2024-05-01T00:00:00.000000+00:00', message }], has_more: true };
    emu.faults.answer({ method: 'GET', route: '/channels/{channel_id}/messages/pins', status: 200, headers: JSON_TYPE, body: JSON.stringify(body), times: 100_000 });
    const error = await collect(clientFor(emu).pinnedMessages(channelId)).catch((e: unknown) => e);
    assert.ok(isDiscordApiError(error, 'API_NOT_DISCORD'), String(error));
    assert.match((error as Error).message, /channel \d+: a page asked for pins before 2024-05-01/);
    emu.faults.clear();
    const elsewhere = { items: [{ pinned_at: '2024-05-01T00:00:00.000000+00:00', message: { ...message, channel_id: '100000000000000001' } }], has_more: false };
    emu.faults.answer({ method: 'GET', route: '/channels/{channel_id}/messages/pins', status: 200, headers: JSON_TYPE, body: JSON.stringify(elsewhere), times: 1 });
    const stray = await collect(clientFor(emu).pinnedMessages(channelId)).catch((e: unknown) => e);
    assert.match(String(stray), /of channel 100000000000000001/);
  });
});

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const all: T[] = [];
  let n = 0;
  for await (const p of pages) {
    all.push(...p);
    if (++n > 50) throw new Error('the walk did not end');
  }
  return all;
}
