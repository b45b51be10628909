import * as assert from 'node:assert/strict';
import { syncArchive } from '../../../src/core/archive/syncArchive';
import { Job } from '../../../src/core/job';
import { startEmulator } from '../../../src/emulator';
import { clientFor, tempVault } from './emulatorHarness';

describe('a sync reports the phase it is in', function () {
  this.timeout(60_000);

  it('a rate-limit wait during the media downloads is reported as the media phase, not as messages', async () => {
    const emu = await startEmulator({ seed: 4, size: 'small', rateLimits: false });
    const vault = tempVault();
    try {
      // Slow downloads: files are left when the channels are done.
      emu.faults.slow({ route: /^cdn:/, delayMs: 200, times: 100_000 });
      const phases: string[] = [];
      let waitsInMedia = 0;
      const job = new Job({
        onProgress: (p) => {
          if (p.phase === 'media' && !phases.includes('media')) emu.faults.answer({ route: /^cdn:/, status: 429, headers: { 'retry-after': '0.05' }, times: 2 });
          phases.push(p.phase);
        },
      });
      job.events.on('rateLimited', () => {
        if (phases.includes('media')) waitsInMedia++;
      });
      const report = await syncArchive(vault, clientFor(emu), emu.guildIds[0]!, { recheckDays: 0 }, job);
      assert.ok(report.media.stored > 0, 'media was downloaded');
      assert.ok(waitsInMedia > 0, 'the CDN made the media phase wait');
      const afterMedia = phases.slice(phases.indexOf('media'));
      assert.deepEqual([...new Set(afterMedia)], ['media', 'done']);
      assert.deepEqual([...new Set(phases)], ['discover', 'messages', 'media', 'done']);
    } finally {
      vault.close();
      await emu.close();
    }
  });
});
