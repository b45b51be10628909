import * as path from 'node:path';
import * as vscode from 'vscode';
import { mediaCapBytes, withinRange, type NumberDefault } from '../engine';
import { settingDefault, type NumberSettingKey, type PlainSettingKey, type PlainSettingValue } from './settingDefaults';

/** The `guildVault.*` settings, read fresh each time (they can change at any moment). */
export interface GuildVaultSettings {
  vaultDirectory: string;
  apiBaseUrl: string;
  cdnBaseUrl: string;
  concurrency: number;
  mediaMaxFileSizeMB: number;
  snapshotRetention: number;
  autoSnapshotIntervalHours: number;
  autoBackupIntervalHours: number;
  recheckDays: number;
  privacyAliases: boolean;
}

/**
 * Fallbacks and bounds are the engine's DEFAULTS, through SETTING_DEFAULTS
 * (package.json's contributed defaults are checked against the same table);
 * VS Code does not enforce a setting's minimum or maximum, so numbers are held
 * to their range here.
 */
export function readSettings(): GuildVaultSettings {
  const config = vscode.workspace.getConfiguration('guildVault');
  return {
    vaultDirectory: plainSetting(config, 'vaultDirectory').trim(),
    apiBaseUrl: plainSetting(config, 'apiBaseUrl').trim() || settingDefault('apiBaseUrl'),
    cdnBaseUrl: plainSetting(config, 'cdnBaseUrl').trim() || settingDefault('cdnBaseUrl'),
    concurrency: numberSetting(config, 'concurrency', true),
    mediaMaxFileSizeMB: numberSetting(config, 'media.maxFileSizeMB'),
    snapshotRetention: numberSetting(config, 'snapshots.retention', true),
    autoSnapshotIntervalHours: numberSetting(config, 'snapshots.autoIntervalHours'),
    autoBackupIntervalHours: numberSetting(config, 'backup.autoIntervalHours'),
    recheckDays: numberSetting(config, 'archive.recheckDays'),
    privacyAliases: plainSetting(config, 'privacy.aliases'),
  };
}

/** A text or on/off setting; a value of the wrong type (a hand-edited settings.json) reads as the default. */
export function plainSetting<K extends PlainSettingKey>(config: vscode.WorkspaceConfiguration, key: K): PlainSettingValue<K> {
  const fallback = settingDefault(key);
  const value = config.get<unknown>(key, fallback);
  return (typeof value === typeof fallback ? value : fallback) as PlainSettingValue<K>;
}

/** A number setting held to its range; anything that is not a number reads as the default. */
export function numberSetting(config: vscode.WorkspaceConfiguration, key: NumberSettingKey, integer = false): number {
  const setting: NumberDefault = settingDefault(key);
  const value = config.get<unknown>(key, setting.value);
  return withinRange(setting, typeof value === 'number' ? value : setting.value, integer);
}

/** The engine takes bytes; 0 = no cap. */
export function mediaSizeCapBytes(settings: GuildVaultSettings): number {
  return mediaCapBytes(settings.mediaMaxFileSizeMB);
}

/**
 * Where vaults live: the setting if set (a relative path is taken from the
 * first workspace folder), else this workspace's extension storage, else the
 * global extension storage.
 */
export function resolveVaultRoot(context: vscode.ExtensionContext, settings: GuildVaultSettings = readSettings()): string {
  if (settings.vaultDirectory) {
    const expanded = settings.vaultDirectory.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
    if (path.isAbsolute(expanded)) return expanded;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder?.uri.scheme === 'file') return path.join(folder.uri.fsPath, expanded);
    return path.join(context.globalStorageUri.fsPath, expanded);
  }
  const storage = context.storageUri ?? context.globalStorageUri;
  return path.join(storage.fsPath, 'vaults');
}
