// The server's other commands: Show Health, Open Vault Folder, Refresh, Show Log.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { discordApi } from '../helpers/emulator';
import { findItem, readServersTree } from '../helpers/tree';
import { requireUi, ui } from '../helpers/ui';

describe('Server commands', () => {
  const env = useConnectedEmulator('server-vaults');

  it('shows what the bot can and cannot read (Show Health)', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.showHealth', env.guildId);
    assert.ok(uri);
    assert.equal(uri.scheme, 'guildvault');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.ok(vscode.window.activeTextEditor!.document.getText().length > 50, 'the report says something');
  });

  it('refuses to open the vault folder of a server not backed up yet', async () => {
    assert.equal(await runCommand('guildVault.openVaultFolder', env.guildId), undefined);
  });

  it('opens the vault folder once there is a vault', async () => {
    assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    const dir = await runCommand<string>('guildVault.openVaultFolder', env.guildId);
    assert.ok(dir?.startsWith(env.vaultRoot), `${dir} is under ${env.vaultRoot}`);
  });

  it('shows a renamed server after Refresh', async () => {
    await discordApi(env.emulator, 'PATCH', `/guilds/${env.guildId}`, { name: 'Renamed While Watching' });
    await runCommand('guildVault.refresh');
    const tree = await readServersTree(/^connection/, 1);
    const server = findItem(tree, (item) => item.id === `server:${env.botId}:${env.guildId}`, 'the server');
    assert.equal(server.label, 'Renamed While Watching');
  });

  it('shows the Guild Vault log (Show Log)', async function () {
    await runCommand('guildVault.showLog');
    requireUi(this);
    await ui.waitFor('.part.panel .monaco-editor', 'started', 10_000);
  });
});
