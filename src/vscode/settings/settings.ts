import * as path from 'node:path';
import * as vscode from 'vscode';

export const DEFAULT_API_BASE_URL = 'https://discord.com/api';
export const DEFAULT_CDN_BASE_URL = 'https://cdn.discordapp.com';

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

export function readSettings(): GuildVaultSettings {
  const config = vscode.workspace.getConfiguration('guildVault');
  return {
    vaultDirectory: config.get<string>('vaultDirectory', '').trim(),
    apiBaseUrl: config.get<string>('apiBaseUrl', DEFAULT_API_BASE_URL).trim() || DEFAULT_API_BASE_URL,
    cdnBaseUrl: config.get<string>('cdnBaseUrl', DEFAULT_CDN_BASE_URL).trim() || DEFAULT_CDN_BASE_URL,
    concurrency: clamp(config.get<number>('concurrency', 4), 1, 16),
    mediaMaxFileSizeMB: Math.max(0, config.get<number>('media.maxFileSizeMB', 50)),
    snapshotRetention: Math.max(1, Math.floor(config.get<number>('snapshots.retention', 30))),
    autoSnapshotIntervalHours: Math.max(0, config.get<number>('snapshots.autoIntervalHours', 0)),
    autoBackupIntervalHours: Math.max(0, config.get<number>('backup.autoIntervalHours', 0)),
    recheckDays: Math.max(0, config.get<number>('archive.recheckDays', 7)),
    privacyAliases: config.get<boolean>('privacy.aliases', false),
  };
}

/** 0 = no cap; the engine takes bytes. */
export function mediaSizeCapBytes(settings: GuildVaultSettings): number | undefined {
  return settings.mediaMaxFileSizeMB > 0 ? Math.round(settings.mediaMaxFileSizeMB * 1024 * 1024) : undefined;
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

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
