import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveRuns } from '../../../src/core/archive/archiveRuns';
import { isGuildVaultError } from '../../../src/core/errors';
import { Job, type JobProgress } from '../../../src/core/job';
import { backupGuild } from '../../../src/core/jobs/backup';
import { MediaPool } from '../../../src/core/media';
import { listSnapshots } from '../../../src/core/snapshots';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor } from './emulatorHarness';

/** A phase of a backup, and how to recognize from its progress that the job is in it. */
const PHASES: { name: string; at: (p: JobProgress) => boolean; archiveStarted: boolean }[] = [
  { name: 'snapshot (reading the structure)', at: (p) => p.phase === 'snapshot' && /bans|members|threads/.test(p.message ?? ''), archiveStarted: false },
  { name: 'snapshot (downloading images)', at: (p) => p.phase === 'snapshot' && /^images/.test(p.message ?? ''), archiveStarted: false },
  { name: 'discovery', at: (p) => p.phase === 'discover', archiveStarted: true },
  { name: 'channels', at: (p) => p.phase === 'messages' && (p.messages ?? 0) > 0, archiveStarted: true },
  { name: 'media', at: (p) => p.phase === 'media' && /\b[1-9][\d,]* files left/.test(p.message ?? ''), archiveStarted: true },
];

describe('a backup cancelled at any phase', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let root: string;
  before(async () => {
    emu = await startEmulator({ seed: 4, size: 'small', rateLimits: false });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-cancel-'));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => emu.faults.clear());

  for (const phase of PHASES) {
    it(`ends as cancelled during ${phase.name}, records the run as cancelled, and the next backup completes`, async () => {
      const guildId = emu.guildIds[0]!;
      const store = new VaultStore(path.join(root, phase.name.replace(/\W+/g, '-')));
      // Slow media so the media step is still under way when the cancel comes.
      emu.faults.slow({ route: /^cdn:\/attachments/, delayMs: 2_000, times: 100_000 });
      emu.faults.slow({ route: /^cdn:/, delayMs: 300, times: 100_000 });
      const controller = new AbortController();
      let cancelledAt = 0;
      const job = new Job({
        signal: controller.signal,
        onProgress: (p) => {
          if (!cancelledAt && phase.at(p)) {
            cancelledAt = Date.now();
            controller.abort();
          }
        },
      });
      const client = clientFor(emu);
      try {
        await assert.rejects(backupGuild(store, client, guildId, { recheckDays: 0 }, job), (error: unknown) => isGuildVaultError(error, 'CANCELLED'));
        assert.ok(cancelledAt > 0, 'the phase was reached');
        assert.ok(Date.now() - cancelledAt < 3000, `stopped ${Date.now() - cancelledAt} ms after the cancel`);
        const vault = store.open(guildId, { mode: 'read' });
        try {
          const runs = new ArchiveRuns(vault);
          assert.equal(runs.lastStatus(), phase.archiveStarted ? 'cancelled' : undefined, 'the run is recorded as cancelled, never done');
          if (phase.name === 'media') assert.ok(new MediaPool(vault).pendingCount() > 0, 'media was still pending: the job did not finish');
        } finally {
          vault.close();
        }

        emu.faults.clear();
        const report = await backupGuild(store, client, guildId, { recheckDays: 0 });
        assert.ok(report.snapshot, 'the next backup takes its snapshot');
        const vault2 = store.open(guildId, { mode: 'read' });
        try {
          assert.equal(new ArchiveRuns(vault2).lastStatus(), 'done');
          assert.equal(new MediaPool(vault2).pendingCount(), 0);
          assert.ok(listSnapshots(vault2).length >= 1);
        } finally {
          vault2.close();
        }
      } finally {
        client.dispose();
      }
    });
  }
});
