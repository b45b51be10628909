import * as assert from 'node:assert/strict';
import type { APIMessage } from 'discord-api-types/v10';
import { listArchivedChannels, syncArchive } from '../../../src/core/archive';
import { isGuildVaultError } from '../../../src/core/errors';
import { Job } from '../../../src/core/job';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { archivedIds, clientFor, expectMatchesWorld, tempVault } from './emulatorHarness';

describe('archive sync against the emulator', function () {
  this.timeout(60_000);

  describe('full, then incremental', () => {
    let emu: Emulator;
    let guildId: string;
    const vault = tempVault();
    before(async () => {
      emu = await startEmulator({ seed: 3, size: 'small', rateLimits: false });
      guildId = emu.guildIds[0]!;
    });
    after(async () => {
      vault.close();
      await emu.close();
    });

    it('archives every readable message exactly once and reports unreadable channels with the reason', async () => {
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
      const total = expectMatchesWorld(vault, emu, guildId, assert.deepEqual);
      assert.ok(total > 300, `a real history (${total})`);
      assert.equal(report.messages.inserted, total);
      const unreadable = new Set(emu.world.channelIdsWithMessages(guildId).filter((id) => !emu.world.readableChannelIds(guildId).includes(id)));
      assert.ok(unreadable.size >= 2, 'the demo layout hides some channels');
      for (const id of unreadable) {
        const channel = listArchivedChannels(vault).find((c) => c.id === id);
        if (!channel) continue; // a private thread the bot cannot even list
        assert.ok(['no-access', 'no-history'].includes(channel.status), `${channel.name}: ${channel.status}`);
        assert.ok(channel.problem && channel.problem.length > 10);
        assert.ok(report.unreadable.some((u) => u.id === id));
      }
      const history = listArchivedChannels(vault).find((c) => c.status === 'no-history');
      assert.match(history?.problem ?? '', /Read Message History/);
      // Threads of every kind are found: forum posts, archived public, private.
      const types = new Set(listArchivedChannels(vault).filter((c) => c.isThread && c.messageCount > 0).map((c) => c.type));
      assert.ok(types.has(11) && types.has(12), `thread types ${[...types]}`);
    });

    it('downloads attachments once per distinct content', async () => {
      const refs = vault.db.prepare("SELECT count(*) AS n, count(DISTINCT sha256) AS files FROM media_refs WHERE owner_kind = 'attachment' AND status = 'stored'").get() as { n: number; files: number };
      assert.ok(refs.n > refs.files, `shared files are stored once (${refs.n} attachments, ${refs.files} files)`);
      assert.equal((vault.db.prepare("SELECT count(*) AS n FROM media_refs WHERE status = 'pending'").get() as { n: number }).n, 0);
      const report = await vault.db.prepare('SELECT count(*) AS n FROM media').get() as { n: number };
      assert.ok(report.n >= refs.files);
    });

    it('then fetches only what is new, and records edits and deletions in the recheck window', async () => {
      const channelId = emu.world.readableChannelIds(guildId).find((id) => emu.world.channel(id)?.channel.type === 0 && emu.world.messageCount(id) > 20)!;
      const store = emu.world.messageStore(channelId)!;
      const template = store.get(store.lastMessageId()!)!;
      const posted: APIMessage[] = [];
      for (let i = 0; i < 3; i++) {
        const id = emu.world.liveIds.next();
        const message = { ...template, id, content: `fresh ${i}`, timestamp: new Date().toISOString(), attachments: [], reactions: undefined } as APIMessage;
        store.append(message);
        posted.push(message);
      }
      emu.world.channel(channelId)!.channel.last_message_id = posted[2]!.id;
      store.replace({ ...posted[0]!, content: 'fresh 0, edited', edited_timestamp: new Date().toISOString() });
      store.delete(posted[1]!.id);

      emu.requestLog.clear();
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 7 });
      const messageRequests = emu.requestLog.filter((e) => e.route === '/channels/{channel_id}/messages');
      assert.deepEqual(new Set(messageRequests.map((e) => e.path.split('/')[2])), new Set([channelId]), 'only the changed channel is read');
      assert.equal(report.messages.inserted, 2, 'the deleted one was never seen');
      const ids = archivedIds(vault, channelId);
      assert.equal(ids.length, new Set(ids).size);
      assert.ok(ids.includes(posted[0]!.id) && ids.includes(posted[2]!.id));

      // Edit and delete after they were archived: the recheck window sees both.
      store.replace({ ...posted[0]!, content: 'fresh 0, edited again', edited_timestamp: new Date().toISOString() });
      store.delete(posted[2]!.id);
      const recheck = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 7 });
      assert.equal(recheck.messages.changed, 1);
      assert.equal(recheck.messages.deleted, 1);
      const versions = vault.db.prepare('SELECT reason, raw FROM message_versions WHERE message_id = ?').all(posted[0]!.id) as { reason: string; raw: string }[];
      assert.deepEqual(versions.map((v) => [v.reason, JSON.parse(v.raw).content]), [['edited', 'fresh 0, edited']]);
      const gone = vault.db.prepare('SELECT deleted_at FROM messages WHERE id = ?').get(posted[2]!.id) as { deleted_at: string | null };
      assert.ok(gone.deleted_at, 'kept, marked deleted');
    });

    it('costs at most one request per channel when nothing is new', async () => {
      emu.requestLog.clear();
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
      assert.equal(report.messages.inserted, 0);
      assert.ok(emu.requestLog.length <= report.channels, `${emu.requestLog.length} requests for ${report.channels} channels`);
      assert.equal(emu.requestLog.filter((e) => e.route === '/channels/{channel_id}/messages').length, 0);
    });
  });

  it('ends with the same archive through 429 storms and 5xx errors, without a global 429', async () => {
    const emu = await startEmulator({ seed: 4, size: 'small' });
    const guildId = emu.guildIds[0]!;
    const clean = tempVault();
    const stormy = tempVault();
    try {
      await syncArchive(clean, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      emu.rateLimits.reset();
      emu.faults.rateLimit({ route: '/channels/{channel_id}/messages', scope: 'user', times: 15, retryAfterSeconds: 0.05 });
      emu.faults.rateLimit({ route: '/channels/{channel_id}/messages', scope: 'shared', times: 5, retryAfterSeconds: 0.05 });
      emu.faults.serverError({ route: '/channels/{channel_id}/messages', status: 502, times: 6 });
      emu.faults.connectionReset({ route: '/channels/{channel_id}/messages', times: 3 });
      emu.requestLog.clear();
      const report = await syncArchive(stormy, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false, concurrency: 6 });
      assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
      expectMatchesWorld(stormy, emu, guildId, assert.deepEqual);
      const ids = (v: typeof clean) => (v.db.prepare('SELECT CAST(id AS TEXT) AS id FROM messages ORDER BY id').all() as { id: string }[]).map((r) => r.id);
      assert.deepEqual(ids(stormy), ids(clean));
      const injected = emu.requestLog.filter((e) => e.fault);
      assert.ok(injected.length >= 20, `faults were served (${injected.length})`);
      const globals = emu.requestLog.filter((e) => e.status === 429 && !e.fault);
      assert.equal(globals.length, 0, 'no 429 provoked by our own pace');
    } finally {
      clean.close();
      stormy.close();
      await emu.close();
    }
  });

  it('stops within a second when cancelled, keeps what was fetched, and resumes without gaps or repeats', async () => {
    const emu = await startEmulator({ seed: 5, size: { channels: 4, messagesPerChannel: 2500 } });
    const guildId = emu.guildIds[0]!;
    const vault = tempVault();
    try {
      const controller = new AbortController();
      let cancelledAt = 0;
      const job = new Job({
        signal: controller.signal,
        onProgress: (p) => {
          if (!cancelledAt && (p.messages ?? 0) >= 1500) {
            cancelledAt = Date.now();
            controller.abort();
          }
        },
      });
      const run = syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 }, job);
      await assert.rejects(run, (e: unknown) => isGuildVaultError(e, 'CANCELLED'));
      assert.ok(cancelledAt > 0);
      assert.ok(Date.now() - cancelledAt < 1000, `stopped after ${Date.now() - cancelledAt} ms`);
      const kept = (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      assert.ok(kept >= 1500 && kept < 10_000, `kept ${kept}`);
      assert.ok(listArchivedChannels(vault).some((c) => c.status === 'partial'));
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
      assert.equal(report.messages.inserted, 10_000 - kept);
      expectMatchesWorld(vault, emu, guildId, assert.deepEqual);
    } finally {
      vault.close();
      await emu.close();
    }
  });

  it('detects a disabled Message Content intent and flags the affected messages', async () => {
    const emu = await startEmulator({ seed: 6, size: { channels: 2, messagesPerChannel: 150 }, intents: { messageContent: false } });
    const vault = tempVault();
    try {
      const report = await syncArchive(vault, clientFor(emu), emu.guildIds[0]!, { recheckDays: 0 });
      assert.equal(report.contentIntentMissing, true);
      assert.ok(report.contentMissing > 100);
      assert.ok(report.problems.some((p) => /Message Content intent/.test(p)));
      const flagged = (vault.db.prepare('SELECT count(*) AS n FROM messages WHERE content_missing = 1').get() as { n: number }).n;
      assert.equal(flagged, report.contentMissing);
      assert.ok(listArchivedChannels(vault).some((c) => c.contentMissing > 0));
    } finally {
      vault.close();
      await emu.close();
    }
  });

  it('records skipped files over the size cap', async () => {
    const emu = await startEmulator({ seed: 3, size: 'small', rateLimits: false });
    const vault = tempVault();
    try {
      const report = await syncArchive(vault, clientFor(emu), emu.guildIds[0]!, { recheckDays: 0, mediaSizeCapBytes: 20_000 });
      assert.ok(report.media.skipped > 0 && report.media.stored > 0);
      const skipped = vault.db.prepare("SELECT problem, size FROM media_refs WHERE status = 'skipped'").all() as { problem: string; size: number | null }[];
      assert.ok(skipped.every((s) => /size cap/.test(s.problem)));
      assert.equal((vault.db.prepare('SELECT count(*) AS n FROM media WHERE size > 20000').get() as { n: number }).n, 0);
    } finally {
      vault.close();
      await emu.close();
    }
  });
});
