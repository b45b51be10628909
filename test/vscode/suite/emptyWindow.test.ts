// An empty window: no folder open. The extension still activates, its commands work, and with
// no workspace its vaults go to VS Code's global extension storage.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommand } from '../helpers/commands';
import { activateGuildVault, contributedCommands, guildVaultExtension } from '../helpers/extension';
import { testRoot, vaultDirsUnder } from '../helpers/files';
import { readServersTree } from '../helpers/tree';
import { waitFor } from '../helpers/wait';

describe('Guild Vault in an empty window', () => {
  let demo: { connectionId: string; guildIds: string[] } | undefined;

  after(async () => {
    if (demo) await runCommand('guildVault.disconnect', demo.connectionId, { skipConfirmation: true });
  });

  it('runs without a workspace folder', () => {
    assert.equal(vscode.workspace.workspaceFolders, undefined);
  });

  it('activates when one of its commands runs, not at start-up', async () => {
    assert.equal(guildVaultExtension().isActive, false, 'active before anything asked for it');
    await runCommand('guildVault.showLog');
    await waitFor('the extension to activate with its command', () => guildVaultExtension().isActive, 30_000);
    assert.ok((await activateGuildVault()).serversTree);
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributedCommands().filter(({ command }) => !registered.has(command)), []);
  });

  it('backs up into the global extension storage', async () => {
    demo = await runCommand<{ connectionId: string; guildIds: string[] }>('guildVault.tryDemo');
    assert.ok(demo);
    const guildId = demo.guildIds[0]!;
    assert.ok(await runCommand('guildVault.takeSnapshot', guildId));
    const vaults = vaultDirsUnder(testRoot).filter((dir) => dir.endsWith(`/${guildId}`));
    assert.equal(vaults.length, 1, vaults.join(', '));
    assert.match(vaults[0]!, /globalStorage/);
    const tree = await readServersTree(/^connection/, 1);
    assert.ok(tree.some((item) => item.id === `connection:${demo!.connectionId}`));
  });
});
