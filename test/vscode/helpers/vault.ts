// Reads a vault the extension wrote, through the engine's own read API (read-only, WAL: safe
// beside a running extension), to compare what the tree and documents show with what is stored.
import { ArchiveRuns, type ArchiveRunStatus } from '../../../src/core/archive/archiveRuns';
import { MediaPool } from '../../../src/core/media';
import { listArchivedChannels, listSnapshots, VaultStore, type ArchivedChannel, type SnapshotInfo } from '../../../src/vscode/engine';

export function readVault<T>(root: string, guildId: string, read: (vault: import('../../../src/vscode/engine').Vault) => T): T {
  const store = new VaultStore(root);
  if (!store.has(guildId)) throw new Error(`no vault for ${guildId} in ${root}`);
  const vault = store.open(guildId, { mode: 'read', purpose: 'vscode test' });
  try {
    return read(vault);
  } finally {
    vault.close();
  }
}

export function vaultSnapshots(root: string, guildId: string): SnapshotInfo[] {
  return readVault(root, guildId, (vault) => listSnapshots(vault));
}

export function vaultChannels(root: string, guildId: string): ArchivedChannel[] {
  return readVault(root, guildId, (vault) => listArchivedChannels(vault));
}

export function hasVault(root: string, guildId: string): boolean {
  return new VaultStore(root).has(guildId);
}

/** How the newest archive run ended ('running' while one runs). */
export function lastArchiveRun(root: string, guildId: string): ArchiveRunStatus | undefined {
  return readVault(root, guildId, (vault) => new ArchiveRuns(vault).lastStatus());
}

/** Media references still waiting for their download. */
export function pendingMedia(root: string, guildId: string): number {
  return readVault(root, guildId, (vault) => new MediaPool(vault).pendingCount());
}
