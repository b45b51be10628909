import { createIndex } from '../../search/ftsIndex';
import type { Migration } from './index';

/**
 * The full-text search index (src/core/search owns its DDL: FTS5, or FTS4
 * where SQLite has only that), filled from the messages already archived.
 */
export const search: Migration = {
  version: 5,
  description: 'full-text search index',
  up(db) {
    createIndex(db);
  },
};
