import * as vscode from 'vscode';

/** SecretStorage key of the passphrase scheduled off-site copies use: never in settings or logs. */
export const OFFSITE_PASSPHRASE_KEY = 'guildVault.offsitePassphrase';

/** A new passphrase, typed twice (hidden); undefined when the person gives up. */
export async function askNewPassphrase(title = 'Passphrase for the bundle'): Promise<string | undefined> {
  const first = await vscode.window.showInputBox({
    title,
    prompt: 'Lose it and the bundle cannot be read by anyone. It is not stored unless you say so.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.length < 8 ? 'At least 8 characters' : undefined),
  });
  if (first === undefined) return undefined;
  const again = await vscode.window.showInputBox({
    title: `${title} (again)`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value !== first ? 'Not the same passphrase' : undefined),
  });
  return again === undefined ? undefined : first;
}

export async function askPassphrase(title: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, password: true, ignoreFocusOut: true });
}
