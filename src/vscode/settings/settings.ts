import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULTS, mediaCapBytes, withinRange, type NumberDefault } from '../engine';

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
 * Fallbacks and bounds are the engine's DEFAULTS (package.json's contributed
 * defaults are checked against them); VS Code does not enforce a setting's
 * minimum or maximum, so values are held to the range here.
 */
export function readSettings(): GuildVaultSettings {
  const config = vscode.workspace.getConfiguration('guildVault');
  return {
    vaultDirectory: config.get<string>('vaultDirectory', DEFAULTS.vaultDirectory).trim(),
    apiBaseUrl: config.get<string>('apiBaseUrl', DEFAULTS.apiBaseUrl).trim() || DEFAULTS.apiBaseUrl,
    cdnBaseUrl: config.get<string>('cdnBaseUrl', DEFAULTS.cdnBaseUrl).trim() || DEFAULTS.cdnBaseUrl,
    concurrency: numberSetting(config, 'concurrency', DEFAULTS.channelConcurrency, true),
    mediaMaxFileSizeMB: numberSetting(config, 'media.maxFileSizeMB', DEFAULTS.mediaMaxFileSizeMB),
    snapshotRetention: numberSetting(config, 'snapshots.retention', DEFAULTS.snapshotRetention, true),
    autoSnapshotIntervalHours: numberSetting(config, 'snapshots.autoIntervalHours', DEFAULTS.autoSnapshotIntervalHours),
    autoBackupIntervalHours: numberSetting(config, 'backup.autoIntervalHours', DEFAULTS.autoBackupIntervalHours),
    recheckDays: numberSetting(config, 'archive.recheckDays', DEFAULTS.recheckDays),
    privacyAliases: config.get<boolean>('privacy.aliases', DEFAULTS.privacyAliases),
  };
}

/** A number setting held to its range; anything that is not a number (a hand-edited settings.json) reads as the default. */
export function numberSetting(config: vscode.WorkspaceConfiguration, key: string, setting: NumberDefault, integer = false): number {
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
