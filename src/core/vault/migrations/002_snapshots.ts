import type { Migration } from './index';

/** Server-structure snapshots (the Bound Snapshot Chain). Owned by src/core/snapshots. */
export const snapshots: Migration = {
  version: 2,
  description: 'structure snapshots',
  up(db) {
    db.exec(`SELECT 1`);
  },
};
