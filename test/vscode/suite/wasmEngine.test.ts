// The WebAssembly SQLite engine inside VS Code, as a user on an older VS Code (whose Node has no
// node:sqlite) gets it, forced here with guildVault.storage.engine: wasm: a backup, a second
// snapshot and the diff editor between the two, from a vault the WASM engine wrote.
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotInfo } from '../../../src/vscode/engine';
import { runCommand } from '../helpers/commands';
import { connectTo, discordApi, startTestEmulator, type Emulator } from '../helpers/emulator';
import { activateGuildVault } from '../helpers/extension';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { vaultChannels, vaultSnapshots } from '../helpers/vault';
import { closeAllEditors } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Storage engine: WebAssembly SQLite (guildVault.storage.engine: wasm)', () => {
  let emulator: Emulator;
  let vaultRoot: string;
  let botId: string;
  let guildId: string;

  before(async () => {
    const api = await activateGuildVault();
    await setSetting('storage.engine', 'wasm');
    await waitFor('the WASM engine to be selected', () => api.storageEngine() === 'wasm');
    emulator = await startTestEmulator();
    guildId = emulator.guildIds[0]!;
    vaultRoot = freshDir('wasm-vaults');
    await setSetting('vaultDirectory', vaultRoot);
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await resetSetting('storage.engine');
    const api = await activateGuildVault();
    await waitFor('the engine to be automatic again', () => api.storageEngine() === 'native');
    await emulator?.close();
    await closeAllEditors();
  });

  it('backs up, snapshots again and diffs the two, with the vault written by the WASM engine', async () => {
    const report = await runCommand('guildVault.backUpServer', guildId);
    assert.ok(report, 'the backup finished with a report');
    const dbFile = join(vaultRoot, guildId, 'vault.db');
    // A WASM-written vault is a rollback-journal file (header bytes 18-19 = 1) with no -wal beside it;
    // the native engine's would be in WAL mode (2).
    const header = readFileSync(dbFile).subarray(18, 20);
    assert.deepEqual([...header], [1, 1], 'written by the WASM engine');
    assert.ok(!existsSync(`${dbFile}-wal`));
    assert.ok(vaultChannels(vaultRoot, guildId).some((channel) => channel.messageCount > 0), 'messages archived');

    const [first] = vaultSnapshots(vaultRoot, guildId);
    assert.ok(first, 'the backup took a snapshot');
    const newRole = 'Archivists (WASM)';
    await discordApi(emulator, 'POST', `/guilds/${guildId}/roles`, { name: newRole });
    const second = await runCommand<SnapshotInfo>('guildVault.takeSnapshot', guildId);
    assert.ok(second && second.summary.created >= 1);
    const title = await runCommand<string>('guildVault.compareWithPrevious', { guildId, snapshotId: second.id });
    const tab = await activeDiffTab();
    assert.equal(tab.label, title);
    assert.match(tab.original.path, new RegExp(`/snapshot/${first.id}/`));
    assert.match(tab.modified.path, new RegExp(`/snapshot/${second.id}/`));
    assert.ok(!(await documentText(tab.original)).includes(newRole));
    assert.ok((await documentText(tab.modified)).includes(newRole));
  });
});
