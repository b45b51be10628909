import type * as NodeSqlite from 'node:sqlite';
import type { Database, OpenDatabaseOptions, Statement, StorageEngine } from './database';

/**
 * The default engine: SQLite compiled into Node (`node:sqlite`, Node 22.13+,
 * VS Code 1.101+), file-backed in WAL mode. Statements are node:sqlite's own,
 * so this engine adds nothing per row.
 */
class NativeDatabase implements Database {
  readonly engine = 'native' as const;
  constructor(private readonly db: NodeSqlite.DatabaseSync) {}

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  get isTransaction(): boolean {
    return this.db.isTransaction;
  }

  prepare(sql: string): Statement {
    return this.db.prepare(sql) as unknown as Statement;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** WAL commits are durable (synchronous=NORMAL: durable once checkpointed or synced at the next commit). */
  checkpoint(): void {}

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** How long a statement waits for another connection's lock before failing (VAULT_LOCKED); every connection to a vault uses it. */
export const BUSY_TIMEOUT_MS = 5000;

export class NativeEngine implements StorageEngine {
  readonly name = 'native' as const;
  readonly description: string;
  readonly writerPragmas = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;';
  readonly readerPragmas = '';

  constructor(private readonly sqlite: typeof NodeSqlite) {
    const probe = new sqlite.DatabaseSync(':memory:');
    try {
      const version = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
      this.description = `node:sqlite (SQLite ${version}, Node ${process.versions.node})`;
    } finally {
      probe.close();
    }
  }

  open(file: string, options: OpenDatabaseOptions): Database {
    const db = new this.sqlite.DatabaseSync(file, { readOnly: options.readOnly });
    // Before the first statement: a connection that opens while another one
    // closes (its last checkpoint holds the file for a moment) or recovers the
    // log must wait for it, not fail at once with "database is locked".
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return new NativeDatabase(db);
  }
}

/**
 * node:sqlite when this Node has it, else why not (Node 20, a VS Code before
 * 1.101, an Electron built without it, Node 22.5-22.12 without --experimental-sqlite).
 */
export function loadNativeEngine(): { engine: NativeEngine } | { reason: string } {
  let sqlite: typeof NodeSqlite;
  try {
    // A plain require, not an import: on hosts without the module the import itself would throw at load.
    sqlite = require('node:sqlite') as typeof NodeSqlite;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: `node:sqlite is not available in Node ${process.versions.node}${code ? ` (${code})` : ''}` };
  }
  if (typeof sqlite?.DatabaseSync !== 'function') return { reason: `node:sqlite in Node ${process.versions.node} has no DatabaseSync` };
  try {
    return { engine: new NativeEngine(sqlite) };
  } catch (error) {
    return { reason: `node:sqlite in Node ${process.versions.node} does not work: ${error instanceof Error ? error.message : String(error)}` };
  }
}
