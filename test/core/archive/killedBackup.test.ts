import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listArchivedChannels, syncArchive } from '../../../src/core/archive';
import { MediaPool } from '../../../src/core/media';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator } from '../../../src/emulator';
import { clientFor, expectMatchesWorld } from './emulatorHarness';
import { tempDir } from '../../support/tempDir';

describe('archive: kill -9 during a backup', function () {
  this.timeout(90_000);

  it('resumes after the process is killed, with no message missing and none twice', async () => {
    // Rate limits on: the backup takes seconds, so the kill lands mid-way.
    const emu = await startEmulator({ seed: 8, size: { channels: 4, messagesPerChannel: 3000 } });
    const guildId = emu.guildIds[0]!;
    const store = new VaultStore(tempDir('gv-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'backupChild.ts')], {
        env: { ...process.env, GV_TOKEN: emu.token, GV_API: emu.apiBaseUrl, GV_CDN: emu.cdnBaseUrl, GV_GUILD: guildId, GV_VAULTS: store.root },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (data) => {
          seen += data;
          const counts = [...seen.matchAll(/messages (\d+)/g)].map((m) => Number(m[1]));
          // From here on every page takes a second: the backup cannot finish before the kill, however fast the machine.
          if (counts.length && counts[counts.length - 1]! >= 1500 && emu.faults.pending.length === 0) emu.faults.slow({ route: '/channels/{channel_id}/messages', delayMs: 1000, times: 100_000 });
          if (counts.length && counts[counts.length - 1]! >= 2500) {
            child.kill('SIGKILL');
            resolve();
          }
          if (seen.includes('done')) reject(new Error('the backup finished before it could be killed'));
        });
        child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
      }).catch((error) => {
        child.kill('SIGKILL');
        throw error;
      });
      assert.equal(await exited, null, 'killed by the signal');

      // The lock of the dead process is taken over; the next sync finishes the job.
      const vault = store.open(guildId, { purpose: 'resume' });
      try {
        const kept = (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
        assert.ok(kept >= 2000 && kept < 12_000, `the killed backup kept ${kept} messages`);
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
