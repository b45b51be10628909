import type { Migration } from './index';

/** What every vault has: its identity and the media pool index. */
export const base: Migration = {
  version: 1,
  description: 'vault metadata and media pool',
  up(db) {
    db.exec(`
      CREATE TABLE vault_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Content-addressed media pool: one row per distinct file, stored at cas/ab/cd/<sha256>.
      CREATE TABLE media (
        sha256       TEXT PRIMARY KEY,
        size         INTEGER NOT NULL,
        content_type TEXT,
        source_url   TEXT,            -- first URL it came from, signature stripped
        stored_at    TEXT NOT NULL
      ) STRICT;
    `);
  },
};
