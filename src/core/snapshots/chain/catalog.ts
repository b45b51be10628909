import type { Vault } from '../../vault';
import type { SnapshotInfo } from '../types';
import { requireSnapshotRow, toInfo, type SnapshotRow } from './rows';

/** Snapshots newest first, with kind, label, pin, time, change summary and capture status. */
export function listSnapshots(vault: Vault): SnapshotInfo[] {
  const rows = vault.db.prepare('SELECT * FROM snapshots ORDER BY id DESC').all() as unknown as SnapshotRow[];
  return rows.map(toInfo);
}

export function getSnapshot(vault: Vault, id: number): SnapshotInfo {
  return toInfo(requireSnapshotRow(vault, id));
}

/** The snapshot taken just before `id` that still exists, if any. */
export function previousSnapshotId(vault: Vault, id: number): number | undefined {
  const row = vault.db.prepare('SELECT max(id) AS id FROM snapshots WHERE id < ?').get(id) as { id: number | null };
  return row.id === null ? undefined : Number(row.id);
}

export function latestSnapshotId(vault: Vault): number | undefined {
  const row = vault.db.prepare('SELECT max(id) AS id FROM snapshots').get() as { id: number | null };
  return row.id === null ? undefined : Number(row.id);
}

/** Pinned snapshots are never pruned. */
export function setPinned(vault: Vault, id: number, pinned: boolean): SnapshotInfo {
  return vault.transaction(() => {
    requireSnapshotRow(vault, id);
    vault.db.prepare('UPDATE snapshots SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id);
    return getSnapshot(vault, id);
  });
}

/** A blank label removes it. */
export function setLabel(vault: Vault, id: number, label: string | null | undefined): SnapshotInfo {
  return vault.transaction(() => {
    requireSnapshotRow(vault, id);
    vault.db.prepare('UPDATE snapshots SET label = ? WHERE id = ?').run(label?.trim() || null, id);
    return getSnapshot(vault, id);
  });
}
