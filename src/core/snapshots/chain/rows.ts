import type { Vault } from '../../vault';
import { GuildVaultError } from '../../errors';
import { NODE_TYPES, SNAPSHOT_KINDS, type CaptureStatus, type NodeType, type SnapshotInfo, type SnapshotKind } from '../types';

/** Row shapes and small queries shared by the chain's algorithms. */

export interface SnapshotRow {
  id: number;
  kind: string;
  label: string | null;
  pinned: number;
  created_at: string;
  capture_status: string;
  created_count: number;
  changed_count: number;
  deleted_count: number;
  checked_at: string | null;
}

export function toInfo(row: SnapshotRow): SnapshotInfo {
  return {
    id: Number(row.id),
    kind: (SNAPSHOT_KINDS as readonly string[]).includes(row.kind) ? (row.kind as SnapshotKind) : 'manual',
    label: row.label,
    pinned: Number(row.pinned) === 1,
    createdAt: row.created_at,
    checkedAt: row.checked_at ?? row.created_at,
    summary: { created: Number(row.created_count), changed: Number(row.changed_count), deleted: Number(row.deleted_count) },
    captureStatus: JSON.parse(row.capture_status) as CaptureStatus,
  };
}

export function findSnapshotRow(vault: Vault, id: number): SnapshotRow | undefined {
  return vault.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
}

export function requireSnapshotRow(vault: Vault, id: number): SnapshotRow {
  const row = findSnapshotRow(vault, id);
  if (!row) {
    throw new GuildVaultError('NOT_FOUND', `There is no snapshot #${id} in this vault.`, 'List the snapshots (guild-vault snapshots list) and pick an existing id.');
  }
  return row;
}

export function latestSnapshotRow(vault: Vault): SnapshotRow | undefined {
  return vault.db.prepare('SELECT * FROM snapshots ORDER BY id DESC LIMIT 1').get() as SnapshotRow | undefined;
}

export function isNodeType(value: string): value is NodeType {
  return (NODE_TYPES as readonly string[]).includes(value);
}

/** A node version as the chain compares it: without its data. */
export interface VersionHead {
  keyId: number;
  deleted: boolean;
  hash: Uint8Array | null;
  /** The snapshot this version is stored in. */
  snapshotId: number;
  /** Where the full version this one patches lives; undefined for a full version. */
  baseSnapshotId: number | undefined;
}

/**
 * Per type, per node id: the newest version at or before `snapshotId`
 * (tombstones included). One seek per key through the primary key.
 */
export function versionHeadsAt(vault: Vault, snapshotId: number): Map<string, Map<string, VersionHead>> {
  const rows = vault.db
    .prepare(
      `SELECT k.key_id, k.type, k.node_id, n.deleted, n.hash, n.snapshot_id, n.base_snapshot_id
         FROM snapshot_keys k
         JOIN snapshot_nodes n ON n.key_id = k.key_id
          AND n.snapshot_id = (SELECT max(m.snapshot_id) FROM snapshot_nodes m WHERE m.key_id = k.key_id AND m.snapshot_id <= ?)`,
    )
    .all(snapshotId) as { key_id: number; type: string; node_id: string; deleted: number; hash: Uint8Array | null; snapshot_id: number; base_snapshot_id: number | null }[];
  const heads = new Map<string, Map<string, VersionHead>>();
  for (const row of rows) {
    let byId = heads.get(row.type);
    if (!byId) heads.set(row.type, (byId = new Map()));
    byId.set(row.node_id, {
      keyId: Number(row.key_id),
      deleted: Number(row.deleted) === 1,
      hash: row.hash,
      snapshotId: Number(row.snapshot_id),
      baseSnapshotId: row.base_snapshot_id === null ? undefined : Number(row.base_snapshot_id),
    });
  }
  return heads;
}

/**
 * Counts what `snapshotId` stores relative to the newest earlier version of
 * each node: a version after nothing or after a tombstone is a creation.
 */
export function countChanges(vault: Vault, snapshotId: number): { created: number; changed: number; deleted: number } {
  const row = vault.db
    .prepare(
      `SELECT coalesce(sum(deleted = 1), 0) AS deleted,
              coalesce(sum(deleted = 0 AND prev IS 0), 0) AS changed,
              coalesce(sum(deleted = 0 AND (prev IS NULL OR prev = 1)), 0) AS created
         FROM (SELECT n.deleted,
                      (SELECT p.deleted FROM snapshot_nodes p
                        WHERE p.key_id = n.key_id AND p.snapshot_id < n.snapshot_id
                        ORDER BY p.snapshot_id DESC LIMIT 1) AS prev
                 FROM snapshot_nodes n WHERE n.snapshot_id = ?)`,
    )
    .get(snapshotId) as { created: number; changed: number; deleted: number };
  return { created: Number(row.created), changed: Number(row.changed), deleted: Number(row.deleted) };
}
