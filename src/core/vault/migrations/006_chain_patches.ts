import type { Migration } from './index';

/**
 * The chain's "future work", done. Owned by src/core/snapshots/chain.
 *
 * - `snapshot_nodes.base_snapshot_id`: NULL for a full version (its `data` is the node's canonical
 *   JSON, as before); otherwise `data` is a field-level patch against the full version of the same
 *   key stored at `base_snapshot_id`. A patch is always against a full version, never against
 *   another patch, so a rebuild reads at most two rows per node whatever the chain's length.
 *   `hash` stays the hash of the whole node, so captures still compare without reading data.
 * - `snapshots.checked_at`: when an automatic snapshot found the server as this snapshot has it.
 *   An unchanged automatic snapshot is not stored; the newest snapshot's checked_at moves instead.
 *
 * Existing versions are full versions: nothing to rewrite.
 */
export const chainPatches: Migration = {
  version: 6,
  description: 'field-level patches in the snapshot chain, last-checked time of snapshots',
  up(db) {
    db.exec(`
      ALTER TABLE snapshot_nodes ADD COLUMN base_snapshot_id INTEGER;
      ALTER TABLE snapshots ADD COLUMN checked_at TEXT;
      CREATE INDEX snapshot_nodes_by_base ON snapshot_nodes (key_id, base_snapshot_id) WHERE base_snapshot_id IS NOT NULL;
    `);
  },
};
