// A window with a folder open: the extension activates by itself (onStartupFinished).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateGuildVault, guildVaultExtension } from '../helpers/extension';

describe('Guild Vault in a window with a folder', () => {
  it('has the folder open', () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
  });

  it('activates', async () => {
    await activateGuildVault();
    assert.equal(guildVaultExtension().isActive, true);
  });
});
