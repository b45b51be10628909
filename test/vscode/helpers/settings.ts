// Changing Guild Vault's settings as a user does in the Settings editor (user settings), and
// putting them back.
import * as vscode from 'vscode';

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('guildVault').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function resetSetting(key: string): Promise<void> {
  await setSetting(key, undefined);
}

/** Every guildVault.* value set anywhere (default, user, workspace), as text. */
export function allSettingValues(): string[] {
  const config = vscode.workspace.getConfiguration('guildVault');
  const keys = Object.keys(config).filter((key) => typeof (config as unknown as Record<string, unknown>)[key] !== 'function');
  const values: string[] = [];
  const collect = (prefix: string, value: unknown): void => {
    if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) collect(`${prefix}.${key}`, child);
    else values.push(`${prefix}=${String(value)}`);
  };
  for (const key of keys) {
    const inspected = config.inspect(key);
    for (const scope of ['defaultValue', 'globalValue', 'workspaceValue', 'workspaceFolderValue'] as const) collect(`${key}.${scope}`, inspected?.[scope]);
  }
  return values;
}
