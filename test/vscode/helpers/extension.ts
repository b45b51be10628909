// Finding and activating the extension under test.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'guildvault.guild-vault';

export function guildVaultExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this window`);
  return extension;
}

/** Activates the extension (it activates onStartupFinished anyway) and returns its exports. */
export async function activateGuildVault(): Promise<unknown> {
  return guildVaultExtension().activate();
}
