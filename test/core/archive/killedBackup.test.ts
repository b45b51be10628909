import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listArchivedChannels, syncArchive } from '../../../src/core/archive';
import { MediaPool } from '../../../src/core/media';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, expectMatchesWorld } from './emulatorHarness';
import { tempDir } from '../../support/tempDir';

/**
 * How much a killed backup may lose: what was reported this long before the
 * kill must be on disk. The native engine commits every page; the WASM one
 * writes its image every 2 s (plus slack for a busy machine).
 */
const AT_RISK_MS = 4000;

interface KilledRun {
  /** Messages reported by the child, with when. */
  reports: { at: number; messages: number }[];
  killedAt: number;
}

/** Runs a backup in a child process (the engine comes from GUILD_VAULT_ENGINE) and kills it `killAfterMs` after its first progress report. */
async function backupUntilKilled(emu: Emulator, guildId: string, store: VaultStore, killAfterMs: number): Promise<KilledRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'backupChild.ts')], {
    env: { ...process.env, GV_TOKEN: emu.token, GV_API: emu.apiBaseUrl, GV_CDN: emu.cdnBaseUrl, GV_GUILD: guildId, GV_VAULTS: store.root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
  const reports: KilledRun['reports'] = [];
  const killedAt = await new Promise<number>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (data) => {
      seen += data;
      for (const match of seen.matchAll(/messages (\d+)\n/g)) {
        const messages = Number(match[1]);
        if (!reports.some((r) => r.messages === messages)) reports.push({ at: Date.now(), messages });
      }
      if (reports.length && Date.now() - reports[0]!.at >= killAfterMs) {
        child.kill('SIGKILL');
        resolve(Date.now());
      }
      if (seen.includes('done')) reject(new Error('the backup finished before it could be killed'));
    });
    child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
  }).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  assert.equal(await exited, null, 'killed by the signal');
  return { reports, killedAt };
}

describe('archive: kill -9 during a backup', function () {
  this.timeout(120_000);

  it('resumes after a kill at a random point, losing at most the last seconds, with no message missing and none twice', async () => {
    // Rate limits on and slow history pages: the backup takes seconds, so the kills land mid-way.
    const emu = await startEmulator({ seed: 8, size: { channels: 4, messagesPerChannel: 3000 } });
    emu.faults.slow({ route: '/channels/{channel_id}/messages', delayMs: 300, times: 10_000 });
    const guildId = emu.guildIds[0]!;
    const store = new VaultStore(tempDir('gv-kill-'));
    try {
      // A random point, late enough that the WASM engine has passed a checkpoint or two.
      const killAfterMs = 4500 + Math.floor(Math.random() * 2000);
      const run = await backupUntilKilled(emu, guildId, store, killAfterMs);
      const reader = store.open(guildId, { mode: 'read' });
      let kept: number;
      try {
        kept = (reader.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      } finally {
        reader.close();
      }
      const safe = run.reports.filter((r) => r.at <= run.killedAt - AT_RISK_MS).pop()?.messages ?? 0;
      assert.ok(safe > 0 && kept >= safe && kept < 12_000, `killed ${killAfterMs} ms in, kept ${kept} messages; ${safe} were in by ${AT_RISK_MS} ms before the kill`);

      // The lock of the dead process is taken over; the next sync finishes the job.
      const vault = store.open(guildId, { purpose: 'resume' });
      try {
        assert.ok(listArchivedChannels(vault).some((c) => c.status === 'partial'));
        emu.rateLimits.setEnabled(false);
        emu.faults.clear();
        const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
        assert.equal(report.messages.inserted, 12_000 - kept);
        expectMatchesWorld(vault, emu, guildId, assert.deepEqual);
        assert.ok(listArchivedChannels(vault).every((c) => c.status !== 'partial'));
        const verify = await new MediaPool(vault).verify();
        assert.equal(verify.missingCount + verify.corruptCount, 0);
        assert.equal((vault.db.prepare("SELECT count(*) AS n FROM media_refs WHERE status = 'pending'").get() as { n: number }).n, 0);
      } finally {
        vault.close();
      }
    } finally {
      await emu.close();
      fs.rmSync(store.root, { recursive: true, force: true });
    }
  });
});
