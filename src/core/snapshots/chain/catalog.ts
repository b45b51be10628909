import type { Vault } from '../../vault';
import type { NodeData, NodeType, SnapshotInfo } from '../types';
import { materialize } from './patch';
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

/**
 * The newest data stored for a node in any snapshot, even one deleted since:
 * what an old message's `<@&role>` mention meant when it was written is better
 * told by the role's last known name than by a bare id. One index seek.
 */
export function lastKnownNode(vault: Vault, type: NodeType, nodeId: string): NodeData | undefined {
  const row = vault.db
    .prepare(
      `SELECT n.data, n.base_snapshot_id IS NOT NULL AS patched, b.data AS base_data
         FROM snapshot_keys k JOIN snapshot_nodes n ON n.key_id = k.key_id
         LEFT JOIN snapshot_nodes b ON b.key_id = n.key_id AND b.snapshot_id = n.base_snapshot_id
        WHERE k.type = ? AND k.node_id = ? AND n.deleted = 0 ORDER BY n.snapshot_id DESC LIMIT 1`,
    )
    .get(type, nodeId) as { data: string; patched: number; base_data: string | null } | undefined;
  return row ? materialize(row.data, row.base_data, Number(row.patched) === 1) : undefined;
}
