import * as fs from 'node:fs';
import * as sqlite from 'node:sqlite';
import { translateSqliteError } from './vault';

/**
 * A consistent copy of a vault's database while a backup may be writing it: SQLite's online
 * backup API in one step (a single read transaction, so the copy is one point in time and the
 * writer is never blocked under WAL), or `VACUUM INTO` where this Node lacks the backup API.
 * Never a file copy: a live WAL database is the main file plus its -wal, at any moment.
 * Lives in src/core/vault because it is the one place that names the SQLite engine.
 */
export async function copyDatabaseConsistently(dbPath: string, destination: string): Promise<void> {
  fs.rmSync(destination, { force: true });
  let db: sqlite.DatabaseSync;
  try {
    db = new sqlite.DatabaseSync(dbPath, { readOnly: true });
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  }
  try {
    db.exec('PRAGMA busy_timeout = 5000;');
    const backup = (sqlite as { backup?: (source: sqlite.DatabaseSync, path: string, options?: { rate?: number }) => Promise<number> }).backup;
    if (typeof backup === 'function') {
      // a rate above any page count: every page in one step, so the copy cannot restart (or mix two states) when the writer commits meanwhile.
      await backup(db, destination, { rate: 2 ** 31 - 1 });
    } else {
      db.prepare('VACUUM INTO ?').run(destination);
    }
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  } finally {
    db.close();
  }
}

/** SQLite's own integrity check of a database file that is not open elsewhere: 'ok' or the first problems it lists. */
export function checkDatabaseFile(dbPath: string): string {
  const db = new sqlite.DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check(5)').all() as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
