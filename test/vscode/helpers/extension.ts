// Finding and activating the extension under test.
import * as vscode from 'vscode';
import type { GuildVaultApi } from '../../../src/extension';

export const EXTENSION_ID = 'guildvault.guild-vault';

export function guildVaultExtension(): vscode.Extension<GuildVaultApi | undefined> {
  const extension = vscode.extensions.getExtension<GuildVaultApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this window`);
  return extension;
}

/** Activates the extension (as showing its view or running a command does) and returns its API. */
export async function activateGuildVault(): Promise<GuildVaultApi> {
  const api = await guildVaultExtension().activate();
  if (!api) throw new Error('Guild Vault activated without its API: node:sqlite missing in this VS Code?');
  return api;
}

/** The contributed commands, from the extension's own package.json. */
export function contributedCommands(): { command: string; title: string }[] {
  return guildVaultExtension().packageJSON.contributes.commands;
}
