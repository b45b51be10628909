import type { Migration } from './index';

/**
 * Restore and migration. Owned by src/core/restore.
 *
 * `id_map`: which object a restore created in a target server for an object of
 * a snapshot (kind 'role' | 'channel'). One row is committed as soon as the
 * object exists, so a restore resumed after a cancel or crash finds it and
 * never creates it twice, and later restores of older snapshots map ids
 * through it. Ids are TEXT: they are only compared, never sorted.
 */
export const restore: Migration = {
  version: 4,
  description: 'restore id map',
  up(db) {
    db.exec(`
      CREATE TABLE id_map (
        kind             TEXT NOT NULL,
        source_id        TEXT NOT NULL,
        target_guild_id  TEXT NOT NULL,
        target_id        TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        PRIMARY KEY (kind, source_id, target_guild_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
