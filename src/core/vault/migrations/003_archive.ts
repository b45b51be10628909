import type { Migration } from './index';

/** Message archive. Owned by src/core/archive. */
export const archive: Migration = {
  version: 3,
  description: 'message archive',
  up(db) {
    db.exec(`SELECT 1`);
  },
};
