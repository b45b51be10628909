// A window with a folder open: the extension stays inactive until its view is shown (no
// activation on every window's start-up), then registers every command it contributes, and shows
// its welcome in the Servers view when nothing is connected.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateGuildVault, contributedCommands, guildVaultExtension } from '../helpers/extension';
import { readServersTree } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { showServersView } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Guild Vault in a window with a folder', () => {
  it('has the folder open', () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
  });

  it('does not activate at start-up, but when its view is shown', async () => {
    assert.equal(guildVaultExtension().isActive, false, 'active before anything asked for it');
    await showServersView();
    await waitFor('the extension to activate with its view', () => guildVaultExtension().isActive, 30_000);
    const api = await activateGuildVault();
    assert.ok(api.serversTree, 'activate() returns the Servers tree');
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands().filter(({ command }) => !registered.has(command));
    assert.deepEqual(missing, []);
  });

  it('starts with an empty Servers tree', async () => {
    assert.deepEqual(await readServersTree(), []);
  });

  it('shows the welcome actions in the Servers view', async function () {
    requireUi(this);
    await showServersView();
    await ui.waitFor(parts.serversView, 'Connect a Bot Token');
    const [text] = await ui.texts(parts.serversView);
    assert.match(text!, /Try the Demo Server/);
  });
});
