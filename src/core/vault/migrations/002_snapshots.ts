import type { Migration } from './index';

/**
 * Server-structure snapshots (the Bound Snapshot Chain). Owned by src/core/snapshots.
 *
 * - `snapshots`: one row per snapshot. `capture_status` is JSON, per node type
 *   'ok', { unreadable, asOfId, asOfDate } or { partial, scopes }; what could
 *   not be read has no rows in that snapshot, so the state before it shows
 *   through. The created/changed/deleted counts are the tree's "+2 ~1 -0".
 * - `snapshot_keys`: every (type, node_id) the chain has ever held, once. The
 *   rebuild walks these keys and seeks each one's newest version <= S through
 *   the (key_id, snapshot_id) primary key: a cost set by the number of keys,
 *   not by the length of the chain.
 * - `snapshot_nodes`: one version of one node, written only in the snapshot
 *   where it was created, changed or deleted (`deleted` = 1, a tombstone with
 *   no data). `data` is the node's canonical JSON, `hash` its first 16 bytes of
 *   SHA-256, compared at capture time without parsing the data.
 */
export const snapshots: Migration = {
  version: 2,
  description: 'structure snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE snapshots (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: "#5" always means the same snapshot
        kind           TEXT NOT NULL CHECK (kind IN ('manual', 'automatic', 'pre-restore', 'import')),
        label          TEXT,
        pinned         INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        created_at     TEXT NOT NULL,
        capture_status TEXT NOT NULL,
        created_count  INTEGER NOT NULL DEFAULT 0,
        changed_count  INTEGER NOT NULL DEFAULT 0,
        deleted_count  INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE snapshot_keys (
        key_id  INTEGER PRIMARY KEY,
        type    TEXT NOT NULL,
        node_id TEXT NOT NULL,
        UNIQUE (type, node_id)
      ) STRICT;

      CREATE TABLE snapshot_nodes (
        key_id      INTEGER NOT NULL REFERENCES snapshot_keys (key_id),
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
        deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        hash        BLOB,
        data        TEXT,
        PRIMARY KEY (key_id, snapshot_id)
      ) STRICT;

      CREATE INDEX snapshot_nodes_by_snapshot ON snapshot_nodes (snapshot_id, key_id);
    `);
  },
};
