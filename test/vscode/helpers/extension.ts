// Finding and activating the extension under test.
import * as vscode from 'vscode';
import type { GuildVaultApi } from '../../../src/extension';

export const EXTENSION_ID = 'guildvault.guild-vault';

export function guildVaultExtension(): vscode.Extension<GuildVaultApi> {
  const extension = vscode.extensions.getExtension<GuildVaultApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this window`);
  return extension;
}

/** Activates the extension (as showing its view or running a command does) and returns its API. */
export async function activateGuildVault(): Promise<GuildVaultApi> {
  return guildVaultExtension().activate();
}

/** The contributed commands, from the extension's own package.json. */
export function contributedCommands(): { command: string; title: string }[] {
  return guildVaultExtension().packageJSON.contributes.commands;
}
