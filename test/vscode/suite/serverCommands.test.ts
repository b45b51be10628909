// The server's other commands: Show Health, Open Vault Folder, Refresh, Show Log.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommand } from '../helpers/commands';
import { connectTo, discordApi, startTestEmulator, type Emulator } from '../helpers/emulator';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { findItem, readServersTree } from '../helpers/tree';
import { requireUi, ui } from '../helpers/ui';
import { closeAllEditors } from '../helpers/views';

describe('Server commands', () => {
  let emulator: Emulator;
  let vaultRoot: string;
  let botId: string;
  let guildId: string;

  before(async () => {
    emulator = await startTestEmulator();
    guildId = emulator.guildIds[0]!;
    vaultRoot = freshDir('server-vaults');
    await setSetting('vaultDirectory', vaultRoot);
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await emulator?.close();
    await closeAllEditors();
  });

  it('shows what the bot can and cannot read (Show Health)', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.showHealth', guildId);
    assert.ok(uri);
    assert.equal(uri.scheme, 'guildvault');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.ok(vscode.window.activeTextEditor!.document.getText().length > 50, 'the report says something');
  });

  it('refuses to open the vault folder of a server not backed up yet', async () => {
    assert.equal(await runCommand('guildVault.openVaultFolder', guildId), undefined);
  });

  it('opens the vault folder once there is a vault', async () => {
    assert.ok(await runCommand('guildVault.takeSnapshot', guildId));
    const dir = await runCommand<string>('guildVault.openVaultFolder', guildId);
    assert.ok(dir?.startsWith(vaultRoot), `${dir} is under ${vaultRoot}`);
  });

  it('shows a renamed server after Refresh', async () => {
    await discordApi(emulator, 'PATCH', `/guilds/${guildId}`, { name: 'Renamed While Watching' });
    await runCommand('guildVault.refresh');
    const tree = await readServersTree(/^connection/, 1);
    const server = findItem(tree, (item) => item.id === `server:${botId}:${guildId}`, 'the server');
    assert.equal(server.label, 'Renamed While Watching');
  });

  it('shows the Guild Vault log (Show Log)', async function () {
    await runCommand('guildVault.showLog');
    requireUi(this);
    await ui.waitFor('.part.panel .monaco-editor', 'started', 10_000);
  });
});
