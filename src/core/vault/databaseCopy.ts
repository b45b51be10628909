import * as fs from 'node:fs';
import type * as sqlite from 'node:sqlite';
import { currentEngine } from './engine';
import { BUSY_TIMEOUT_MS } from './engine/nativeEngine';
import { replayWal } from './engine/walReplay';
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
  if (currentEngine().name !== 'native') return copyImage(dbPath, destination);
  // Required here, not imported: on a Node without node:sqlite the module must still load.
  const sqlite = require('node:sqlite') as typeof import('node:sqlite');
  let db: sqlite.DatabaseSync;
  try {
    db = new sqlite.DatabaseSync(dbPath, { readOnly: true });
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`);
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

/**
 * Without node:sqlite: the WASM engine replaces vault.db only by renaming a
 * complete image over it, so one read of the file is one point in time; a
 * -wal a killed native writer left is folded in, as SQLite's recovery would.
 */
function copyImage(dbPath: string, destination: string): void {
  const main = fs.readFileSync(dbPath);
  let wal: Buffer | undefined;
  try {
    wal = fs.readFileSync(`${dbPath}-wal`);
  } catch {
    wal = undefined;
  }
  const image = wal && wal.length > 0 ? replayWal(main, wal).image : main;
  if (image.length >= 20) image[18] = image[19] = 1; // rollback-journal format: no -wal travels with the copy
  fs.writeFileSync(destination, image);
}

/** SQLite's own integrity check of a database file that is not open elsewhere: 'ok' or the first problems it lists. */
export function checkDatabaseFile(dbPath: string): string {
  const db = currentEngine().open(dbPath, { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check(5)').all() as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
