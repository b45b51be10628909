// An empty window: no folder open. The extension must still activate and offer its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateGuildVault, guildVaultExtension } from '../helpers/extension';

describe('Guild Vault in an empty window', () => {
  it('runs without a workspace folder', () => {
    assert.equal(vscode.workspace.workspaceFolders, undefined);
  });

  it('activates', async () => {
    await activateGuildVault();
    assert.equal(guildVaultExtension().isActive, true);
  });
});
