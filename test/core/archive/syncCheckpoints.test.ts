import * as assert from 'node:assert/strict';
import { syncArchive } from '../../../src/core/archive';
import { isGuildVaultError } from '../../../src/core/errors';
import { Job } from '../../../src/core/job';
import { BACKSTOP_PAGES, type Vault } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, expectMatchesWorld, tempVault } from './emulatorHarness';

/**
 * A sync hands its WAL checkpoints to a background thread (native engine) for
 * as long as it writes, and the writer has its own back when the sync ends,
 * however it ends. On the WASM engine there is no log and nothing changes.
 */
describe('archive: WAL checkpoints during a sync', function () {
  this.timeout(60_000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 15, size: { channels: 3, messagesPerChannel: 700 }, rateLimits: false });
  });
  after(() => emu.close());

  const autocheckpoint = (vault: Vault) => Number((vault.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint);

  it('runs them on a background thread while pages are written, and gives them back to the writer at the end', async () => {
    const vault = tempVault();
    try {
      const before = autocheckpoint(vault);
      const during = new Set<number>();
      const job = new Job({ onProgress: (p) => p.phase === 'messages' && during.add(autocheckpoint(vault)) });
      const guildId = emu.guildIds[0]!;
      await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 }, job);
      assert.deepEqual([...during], [vault.db.engine === 'native' ? BACKSTOP_PAGES : before]);
      assert.equal(autocheckpoint(vault), before);
      expectMatchesWorld(vault, emu, guildId, assert.deepEqual);
    } finally {
      vault.close();
    }
  });

  it('gives them back to the writer when the sync is cancelled', async () => {
    const vault = tempVault();
    try {
      const before = autocheckpoint(vault);
      const cancel = new AbortController();
      const job = new Job({ signal: cancel.signal, onProgress: (p) => p.phase === 'messages' && (p.messages ?? 0) > 0 && cancel.abort() });
      await assert.rejects(syncArchive(vault, clientFor(emu), emu.guildIds[0]!, { recheckDays: 0 }, job), (error) => isGuildVaultError(error, 'CANCELLED'));
      assert.equal(autocheckpoint(vault), before);
    } finally {
      vault.close();
    }
  });
});
