import type { Vault } from '../../vault';
import { emptyState, nodesOf, type StructureState } from '../types';
import { materialize } from './patch';
import { isNodeType, requireSnapshotRow, toInfo } from './rows';

/**
 * The server's structure as of snapshot `id`: per node, its newest version at
 * or before `id`, unless that version is a tombstone. One query; each key is a
 * seek through the (key_id, snapshot_id) primary key (two for a patched version:
 * patches are always against a full version), so the first and the thousandth
 * snapshot of a chain cost the same to rebuild.
 */
export function loadState(vault: Vault, id: number): StructureState {
  const info = toInfo(requireSnapshotRow(vault, id));
  const state = emptyState(vault.getMeta('guild_id') ?? '');
  state.status = info.captureStatus;
  const rows = vault.db
    .prepare(
      `SELECT k.type, k.node_id, n.data, n.base_snapshot_id IS NOT NULL AS patched, b.data AS base_data
         FROM snapshot_keys k
         JOIN snapshot_nodes n ON n.key_id = k.key_id
          AND n.snapshot_id = (SELECT max(m.snapshot_id) FROM snapshot_nodes m WHERE m.key_id = k.key_id AND m.snapshot_id <= ?)
         LEFT JOIN snapshot_nodes b ON b.key_id = n.key_id AND b.snapshot_id = n.base_snapshot_id
        WHERE n.deleted = 0
        ORDER BY k.type, k.node_id`,
    )
    .all(id) as { type: string; node_id: string; data: string; patched: number; base_data: string | null }[];
  for (const row of rows) {
    if (!isNodeType(row.type)) continue; // a type written by a newer Guild Vault
    nodesOf(state, row.type).set(row.node_id, materialize(row.data, row.base_data, Number(row.patched) === 1));
  }
  // The guild node's id is the guild's, also before its identity was recorded in the vault.
  if (!state.guildId) state.guildId = [...nodesOf(state, 'guild').keys()][0] ?? '';
  return state;
}
