// The WebAssembly SQLite engine inside VS Code, as a user on an older VS Code (whose Node has no
// node:sqlite) gets it, forced here with guildVault.storage.engine: wasm: a backup, a second
// snapshot and the diff editor between the two, from a vault the WASM engine wrote.
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotInfo } from '../../../src/vscode/engine';
import { runCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { discordApi } from '../helpers/emulator';
import { activateGuildVault } from '../helpers/extension';
import { resetSetting, setSetting } from '../helpers/settings';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { vaultChannels, vaultSnapshots } from '../helpers/vault';
import { waitFor } from '../helpers/wait';

describe('Storage engine: WebAssembly SQLite (guildVault.storage.engine: wasm)', () => {
  // The engine is chosen before the emulator and the vault folder, and put back after them.
  before(async () => {
    const api = await activateGuildVault();
    await setSetting('storage.engine', 'wasm');
    await waitFor('the WASM engine to be selected', () => api.storageEngine() === 'wasm');
  });
  const env = useConnectedEmulator('wasm-vaults');
  after(async () => {
    await resetSetting('storage.engine');
    const api = await activateGuildVault();
    await waitFor('the engine to be automatic again', () => api.storageEngine() === 'native');
  });

  it('backs up, snapshots again and diffs the two, with the vault written by the WASM engine', async () => {
    const report = await runCommand('guildVault.backUpServer', env.guildId);
    assert.ok(report, 'the backup finished with a report');
    const dbFile = join(env.vaultRoot, env.guildId, 'vault.db');
    // A WASM-written vault is a rollback-journal file (header bytes 18-19 = 1) with no -wal beside it;
    // the native engine's would be in WAL mode (2).
    const header = readFileSync(dbFile).subarray(18, 20);
    assert.deepEqual([...header], [1, 1], 'written by the WASM engine');
    assert.ok(!existsSync(`${dbFile}-wal`));
    assert.ok(vaultChannels(env.vaultRoot, env.guildId).some((channel) => channel.messageCount > 0), 'messages archived');

    const [first] = vaultSnapshots(env.vaultRoot, env.guildId);
    assert.ok(first, 'the backup took a snapshot');
    const newRole = 'Archivists (WASM)';
    await discordApi(env.emulator, 'POST', `/guilds/${env.guildId}/roles`, { name: newRole });
    const second = await runCommand<SnapshotInfo>('guildVault.takeSnapshot', env.guildId);
    assert.ok(second && second.summary.created >= 1);
    const title = await runCommand<string>('guildVault.compareWithPrevious', { guildId: env.guildId, snapshotId: second.id });
    const tab = await activeDiffTab();
    assert.equal(tab.label, title);
    assert.match(tab.original.path, new RegExp(`/snapshot/${first.id}/`));
    assert.match(tab.modified.path, new RegExp(`/snapshot/${second.id}/`));
    assert.ok(!(await documentText(tab.original)).includes(newRole));
    assert.ok((await documentText(tab.modified)).includes(newRole));
  });
});
