import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listArchivedChannels, renderTranscript } from '../../../src/core/archive';
import { searchMessages, type SearchResult } from '../../../src/core/search';
import { GuildVaultError, isGuildVaultError } from '../../../src/core/errors';
import { Job, type JobProgress } from '../../../src/core/job';
import { destructiveActions, planRestore } from '../../../src/core/restore';
import { LOCK_FILE, readOwner, VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { JobWorkers } from '../../../src/workers/jobWorkerHost';
import type { BotAccess } from '../../../src/workers/protocol';
import { expectMatchesWorld } from '../archive/emulatorHarness';
import { createActions, creates, useRestoreWorld } from '../restore/helpers';

describe('jobs in a worker thread (JobWorkers)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let root: string;
  let bot: BotAccess;
  let guildId: string;
  const workers = new JobWorkers();

  before(async () => {
    emu = await startEmulator({ seed: 11, size: 'small', rateLimits: false });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-workers-'));
    bot = { token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl };
    guildId = emu.guildIds[0]!;
  });
  after(async () => {
    await workers.dispose();
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => emu.faults.clear());

  const storeFor = (name: string) => new VaultStore(path.join(root, name));

  /** The archive's busiest channel and its transcript rendered in-process (what a worker must answer). */
  function largestTranscript(store: VaultStore): { channelId: string; expected: string } {
    const vault = store.open(guildId, { mode: 'read' });
    try {
      const channelId = [...listArchivedChannels(vault)].sort((a, b) => b.messageCount - a.messageCount)[0]!.id;
      return { channelId, expected: renderTranscript(vault, channelId, {}) };
    } finally {
      vault.close();
    }
  }

  it('runs a backup: progress, log lines and counters reach the host; the result is the engine report; the vault holds every message', async () => {
    const store = storeFor('backup');
    const phases = new Set<string>();
    const logs: string[] = [];
    const job = new Job({ onProgress: (p) => phases.add(p.phase), log: (level, message) => logs.push(`${level}: ${message}`) });
    const report = await workers.run({ kind: 'backup', vaultRoot: store.root, params: { guildId, options: { recheckDays: 0 } } }, bot, job);
    assert.ok(report.snapshot, 'the structure snapshot was taken');
    assert.ok(report.archive.messages.inserted > 0);
    for (const phase of ['snapshot', 'messages']) assert.ok(phases.has(phase), `progress of phase ${phase} arrived (${[...phases].join(', ')})`);
    assert.ok(job.counters.requests > 0, 'the job counts the requests its worker made');
    assert.equal(workers.running, 0, 'the worker is gone once the job is done');
    assert.ok(!fs.existsSync(path.join(store.dirFor(guildId), LOCK_FILE)), 'the vault lock is released');
    const vault = store.open(guildId, { mode: 'read' });
    try {
      assert.equal(expectMatchesWorld(vault, emu, guildId, assert.deepEqual), report.archive.messages.inserted);
    } finally {
      vault.close();
    }
    assert.ok(!logs.some((line) => line.includes(emu.token)), 'no log line holds the token');
  });

  it('renders a transcript in a worker, without a bot, exactly as in-process', async () => {
    const store = storeFor('backup');
    const { channelId, expected } = largestTranscript(store);
    const text = await workers.run({ kind: 'transcript', vaultRoot: store.root, params: { guildId, channelId, options: {} } }, undefined, new Job());
    assert.equal(text, expected);
  });

  it('with spareIdleMs, starts the next job\'s worker when a job ends: the next read takes it and answers the same; an unused one ends, and dispose ends it', async () => {
    const store = storeFor('backup');
    const { channelId, expected } = largestTranscript(store);
    const ahead = new JobWorkers({ spareIdleMs: 1_500 });
    const transcript = () => ahead.run({ kind: 'transcript', vaultRoot: store.root, params: { guildId, channelId, options: {} } }, undefined, new Job());
    try {
      assert.equal(ahead.waiting, 0, 'nothing is started before a job ran');
      assert.equal(await transcript(), expected);
      assert.equal(ahead.waiting, 1, 'the next job\'s worker was started when the job ended');
      const second = transcript();
      assert.equal(ahead.waiting, 0, 'the second job took the worker started ahead');
      assert.equal(await second, expected, 'the worker started ahead answers as a fresh one');
      assert.equal(ahead.waiting, 1, 'and the next one is started');
      const deadline = Date.now() + 10_000;
      while (ahead.waiting > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(ahead.waiting, 0, 'a worker nobody took ends after spareIdleMs');
      assert.equal(await transcript(), expected, 'a job after that starts a fresh worker');
      assert.equal(ahead.waiting, 1);
    } finally {
      await ahead.dispose();
    }
    assert.equal(ahead.waiting, 0, 'dispose ends the worker started ahead');
    assert.equal(ahead.running, 0);
    ahead.startAhead();
    assert.equal(ahead.waiting, 0, 'after dispose, nothing is started ahead');
  });

  it('startAhead starts a worker before any job (the view is shown) only with spareIdleMs; the first job takes it', async () => {
    const plain = new JobWorkers();
    const ahead = new JobWorkers({ spareIdleMs: 60_000 });
    try {
      plain.startAhead();
      assert.equal(plain.waiting, 0, 'without spareIdleMs (CLI, tests, benchmarks) nothing is started ahead');
      ahead.startAhead();
      ahead.startAhead();
      assert.equal(ahead.waiting, 1, 'one worker waits, however often it is asked');
      const months = ahead.run({ kind: 'transcriptMonths', vaultRoot: storeFor('backup').root, params: { guildId, channelId: guildId } }, undefined, new Job());
      assert.equal(ahead.waiting, 0, 'the first job took it');
      assert.ok(Array.isArray(await months));
    } finally {
      await Promise.all([plain.dispose(), ahead.dispose()]);
    }
  });

  it('searches vaults in a worker with the same hits as in-process; a vault it cannot read is that vault\'s problem, not the search\'s', async () => {
    const store = storeFor('backup');
    const vault = store.open(guildId, { mode: 'read' });
    let word: string;
    let expected: SearchResult;
    try {
      // A word of the newest message with text: present in the vault, so the search finds it.
      const content = vault.db.prepare("SELECT content FROM messages WHERE content GLOB '*[a-z][a-z][a-z][a-z]*' ORDER BY id DESC LIMIT 1").get() as { content: string };
      word = /[a-z]{4,}/i.exec(content.content)![0];
      expected = searchMessages(vault, word, { limit: 20 });
    } finally {
      vault.close();
    }
    assert.ok(expected.hits.length > 0, `"${word}" is found in-process`);
    // A second "vault" that is not SQLite at all: the search must still answer for the first.
    const brokenId = '100000000000000001';
    fs.mkdirSync(store.dirFor(brokenId), { recursive: true });
    fs.writeFileSync(path.join(store.dirFor(brokenId), 'vault.db'), 'this is not a database, it is hostile text\n'.repeat(100));
    try {
      const found = await workers.run({ kind: 'search', vaultRoot: store.root, params: { guildIds: [guildId, brokenId, '100000000000000002'], text: word, options: { limit: 20 } } }, undefined, new Job());
      assert.equal(found.length, 2, 'the vault that does not exist is left out');
      assert.deepEqual(found[0]!.result?.hits, expected.hits);
      assert.equal(found[1]!.guildId, brokenId);
      assert.ok(found[1]!.problem, 'the unreadable vault says why');
    } finally {
      fs.rmSync(store.dirFor(brokenId), { recursive: true, force: true });
    }
  });

  it('re-creates engine errors on the host as GuildVaultErrors with code, message and hint, without the token', async () => {
    const wrong = { ...bot, token: `${emu.token.slice(0, -4)}XXXX` };
    const error = await workers.run({ kind: 'sync', vaultRoot: storeFor('wrong-token').root, params: { guildId, options: {} } }, wrong, new Job()).then(
      () => assert.fail('a rejected token must fail the job'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof GuildVaultError, `a GuildVaultError, not ${String(error)}`);
    assert.equal(error.code, 'INVALID_TOKEN');
    assert.ok(error.hint.length > 0, 'the hint crossed the thread');
    assert.ok(!error.message.includes(wrong.token) && !error.hint.includes(wrong.token));
    assert.ok(!storeFor('wrong-token').has(guildId), 'no empty vault is left behind');
  });

  it('cancels: the worker hears the cancel within a second, the job ends as cancelled and the lock is free for the next job', async () => {
    const store = storeFor('cancel');
    emu.faults.slow({ route: /\/messages/, delayMs: 200, times: 100_000 });
    const controller = new AbortController();
    let cancelledAt = 0;
    let heardAfterMs = -1;
    const job = new Job({
      signal: controller.signal,
      onProgress: (p: JobProgress) => {
        if (!cancelledAt && p.phase === 'messages' && (p.messages ?? 0) > 0) {
          cancelledAt = performance.now();
          controller.abort();
        }
      },
      log: (_level, message) => {
        if (message.includes('received the cancel')) heardAfterMs = performance.now() - cancelledAt;
      },
    });
    await assert.rejects(workers.run({ kind: 'backup', vaultRoot: store.root, params: { guildId, options: { recheckDays: 0 } } }, bot, job), (error: unknown) =>
      isGuildVaultError(error, 'CANCELLED'),
    );
    assert.ok(cancelledAt > 0, 'the job reached its messages');
    assert.ok(heardAfterMs >= 0 && heardAfterMs < 1000, `the worker heard the cancel after ${heardAfterMs.toFixed(0)} ms`);
    emu.faults.clear();
    const report = await workers.run({ kind: 'sync', vaultRoot: store.root, params: { guildId, options: { recheckDays: 0 } } }, bot, new Job());
    assert.equal(report.failed.length, 0);
  });

  it('a worker killed mid-job is a failed job with its reason; its vault lock is freed and the next job completes the archive', async () => {
    const store = storeFor('killed');
    emu.faults.slow({ route: /\/messages/, delayMs: 200, times: 100_000 });
    const lockPath = path.join(store.dirFor(guildId), LOCK_FILE);
    let lockWhileRunning: ReturnType<typeof readOwner>;
    let killed = false;
    const job = new Job({
      onProgress: (p) => {
        if (killed || p.phase !== 'messages' || !(p.messages ?? 0)) return;
        killed = true;
        lockWhileRunning = readOwner(lockPath);
        void workers.dispose();
      },
    });
    const error = await workers.run({ kind: 'backup', vaultRoot: store.root, params: { guildId, options: { recheckDays: 0 } } }, bot, job).then(
      () => assert.fail('a killed worker cannot finish its job'),
      (failure: unknown) => failure,
    );
    assert.ok(isGuildVaultError(error, 'WORKER_DIED'), `WORKER_DIED, not ${String(error)}`);
    assert.match(error.message, /backup job failed: it stopped unexpectedly/);
    assert.equal(lockWhileRunning?.pid, process.pid, 'the worker held the lock in the name of this process');
    assert.notEqual(lockWhileRunning?.threadId, 0, '...from its own thread');
    assert.ok(!fs.existsSync(lockPath), 'the dead worker\'s lock is freed');

    emu.faults.clear();
    await workers.run({ kind: 'sync', vaultRoot: store.root, params: { guildId, options: { recheckDays: 0 } } }, bot, new Job());
    const vault = store.open(guildId, { mode: 'read' });
    try {
      expectMatchesWorld(vault, emu, guildId, assert.deepEqual);
    } finally {
      vault.close();
    }
  });

  it('a worker out of memory is a failed job that says so', async () => {
    const small = new JobWorkers({ resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
    const error = await small.run({ kind: 'backup', vaultRoot: storeFor('oom').root, params: { guildId, options: { recheckDays: 0 } } }, bot, new Job()).then(
      () => assert.fail('8 MB cannot hold a backup'),
      (failure: unknown) => failure,
    );
    assert.ok(isGuildVaultError(error, 'WORKER_DIED'), `WORKER_DIED, not ${String(error)}`);
    assert.match(error.message, /ran out of memory/);
  });

  describe('Restore Structure', () => {
    // The demo server restored into a server of the bot's own (restore tests' world: a fresh emulator each).
    const world = useRestoreWorld();

    it('plans a structure restore in a worker exactly as in-process, and applies it there holding the vault lock', async () => {
      const { emu, guildId } = world;
      const bot: BotAccess = { token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl };
      const store = storeFor('restore');
      const targetGuildId = emu.guildIds[1]!;
      const snapshot = await workers.run({ kind: 'snapshot', vaultRoot: store.root, params: { guildId, options: { kind: 'manual' } } }, bot, new Job());
      const options = { snapshotId: snapshot.id, targetGuildId, include: [] };
      const choices = await workers.run({ kind: 'restorePlan', vaultRoot: store.root, params: { guildId, options } }, bot, new Job());
      const client = world.client;
      const vault = store.open(guildId, { mode: 'read' });
      try {
        assert.deepEqual(choices.keep, await planRestore(vault, client, options), 'the plan that keeps crossed the thread whole');
        assert.deepEqual(choices.prune, await planRestore(vault, client, { ...options, prune: true }), 'so did the one that prunes');
      } finally {
        vault.close();
      }
      assert.ok(choices.keep.actions.some((action) => action.kind === 'channel.create'), 'the target lacks the demo\'s channels');
      assert.match(choices.preview.after, /\(new \d+\)/, 'the preview shows what the restore creates');
      assert.ok(choices.prune && destructiveActions(choices.prune).length > 0, 'the target has a channel of its own to prune');

      await assert.rejects(
        workers.run({ kind: 'restore', vaultRoot: store.root, params: { guildId, plan: choices.prune, confirmed: false } }, bot, new Job()),
        (error: unknown) => isGuildVaultError(error, 'INVALID_ARGUMENT'),
        'an unconfirmed plan that deletes is refused in the worker too',
      );
      const lockPath = path.join(store.dirFor(guildId), LOCK_FILE);
      let holder: ReturnType<typeof readOwner>;
      const job = new Job({ onProgress: () => (holder ??= readOwner(lockPath)) });
      const report = await workers.run({ kind: 'restore', vaultRoot: store.root, params: { guildId, plan: choices.keep, confirmed: destructiveActions(choices.keep).length > 0 } }, bot, job);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.equal(report.outcomes.length, choices.keep.actions.length, 'every action has its outcome');
      assert.equal(report.done + report.skipped, choices.keep.actions.length);
      assert.equal(holder?.purpose, 'restore');
      assert.notEqual(holder?.threadId, 0, 'the worker, not this thread, held the vault lock');
      assert.ok(!fs.existsSync(lockPath), 'the lock is released');
    });

    it('a restore worker killed mid-apply is a failed job with its reason and frees the lock; the next run creates nothing twice', async () => {
      const { emu, guildId } = world;
      const bot: BotAccess = { token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl };
      const store = storeFor('restore-killed');
      const targetGuildId = emu.guildIds[1]!;
      const snapshot = await workers.run({ kind: 'snapshot', vaultRoot: store.root, params: { guildId, options: { kind: 'manual' } } }, bot, new Job());
      const options = { snapshotId: snapshot.id, targetGuildId, include: [] };
      const { keep } = await workers.run({ kind: 'restorePlan', vaultRoot: store.root, params: { guildId, options } }, bot, new Job());
      const confirmed = destructiveActions(keep).length > 0;
      const doomed = new JobWorkers();
      let killed = false;
      const job = new Job({
        onProgress: (p) => {
          if (killed || (p.done ?? 0) < 3) return;
          killed = true;
          void doomed.dispose();
        },
      });
      const error = await doomed.run({ kind: 'restore', vaultRoot: store.root, params: { guildId, plan: keep, confirmed } }, bot, job).then(
        () => assert.fail('a killed worker cannot finish its restore'),
        (failure: unknown) => failure,
      );
      assert.ok(isGuildVaultError(error, 'WORKER_DIED'), `WORKER_DIED, not ${String(error)}`);
      assert.match(error.message, /restore job failed: it stopped unexpectedly/);
      assert.ok(!fs.existsSync(path.join(store.dirFor(guildId), LOCK_FILE)), 'the dead worker\'s lock is freed');

      const createsBefore = creates(emu, targetGuildId);
      const again = await workers.run({ kind: 'restorePlan', vaultRoot: store.root, params: { guildId, options } }, bot, new Job());
      const report = await workers.run({ kind: 'restore', vaultRoot: store.root, params: { guildId, plan: again.keep, confirmed: destructiveActions(again.keep).length > 0 } }, bot, new Job());
      assert.equal(report.failed, 0);
      assert.equal(creates(emu, targetGuildId) - createsBefore, createActions(again.keep), 'only what the killed run had not created is created');
      assert.ok(createActions(again.keep) < createActions(keep), 'the killed run\'s creations were recorded');
    });
  });
});
