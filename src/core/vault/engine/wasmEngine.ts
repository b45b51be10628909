import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuildVaultError } from '../../errors';
import type { Database, NamedParameters, OpenDatabaseOptions, Row, RunResult, SqlInputValue, SqlOutputValue, Statement, StorageEngine } from './database';
import { removeStaleImages, syncFolder, writeImageAtomically } from './imageFile';
import { loadSqlJs, statementPointer, TextBinder, type SqlJsBindParams, type SqlJsDatabase, type SqlJsModule, type SqlJsStatement, type SqlJsValue } from './sqlJs';
import { SharedReaders } from './sharedReaders';
import { replayWal } from './walReplay';

/**
 * Above this size the WASM engine refuses a vault: sql.js holds the whole
 * database in memory, 3 to 4 times the file at peak (its in-memory file, the
 * export a checkpoint writes, SQLite's cache; `npm run bench -- engines`), and
 * Emscripten's in-memory file stops at 4 GB. GUILD_VAULT_WASM_MAX_MB raises (or lowers) it, for a
 * machine with the memory to spare.
 */
export const WASM_MAX_VAULT_BYTES = 1024 * 1024 * 1024;

export function wasmVaultLimit(): number {
  const mb = Number(process.env.GUILD_VAULT_WASM_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.min(mb, 3800) * 1024 * 1024 : WASM_MAX_VAULT_BYTES;
}

/**
 * When the in-memory database is written to disk during a job: after
 * `intervalMs` of changes, or after `changes` changed rows, whichever comes
 * first, but never more often than `spacingFactor` times the last write took,
 * so checkpoints of a large vault cost a bounded share of the job.
 */
export interface CheckpointPolicy {
  intervalMs: number;
  changes: number;
  spacingFactor: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { intervalMs: 2000, changes: 50_000, spacingFactor: 4 };

export function tooLargeForWasm(file: string, bytes: number): GuildVaultError {
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  return new GuildVaultError(
    'VAULT_TOO_LARGE',
    `The vault ${file} is ${mb(bytes)}; the WebAssembly SQLite engine holds a vault in memory and stops at ${mb(wasmVaultLimit())}.`,
    'Use a VS Code 1.101 or later, or Node 22.13 or later for the CLI: their built-in node:sqlite engine keeps the vault on disk and has no such limit.',
  );
}

/** Prefixes a named parameter may carry in SQL; node:sqlite lets callers leave them out. */
const PREFIXES = [':', '@', '$'];

function toSqlJsValue(value: SqlInputValue): SqlJsValue | bigint {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`Cannot bind ${value === undefined ? 'undefined' : typeof value} to a SQL parameter`);
}

function toBindParams(params: unknown[]): SqlJsBindParams | undefined {
  if (params.length === 0) return undefined;
  const first = params[0];
  if (first !== null && typeof first === 'object' && !ArrayBuffer.isView(first)) {
    if (params.length > 1) throw new TypeError('The WASM engine binds either named or positional parameters, not both in one call');
    const named: Record<string, SqlJsValue | bigint> = {};
    for (const [key, value] of Object.entries(first as NamedParameters)) {
      const converted = toSqlJsValue(value);
      if (PREFIXES.includes(key[0]!)) named[key] = converted;
      else for (const prefix of PREFIXES) named[prefix + key] = converted;
    }
    return named;
  }
  return (params as SqlInputValue[]).map(toSqlJsValue);
}

/** Statements that only read, which need not mark the database as changed. */
const READ_ONLY_SQL = /^\s*(SELECT|PRAGMA\s+[\w.]+\s*(\(\s*[\w.]*\s*\))?\s*;?\s*$|EXPLAIN)/i;

class WasmStatement implements Statement {
  private columns: string[] | undefined;
  private readonly readsOnly: boolean;
  /** An iterator is walking this statement's rows: prepare() hands out another one meanwhile. */
  iterating = false;

  constructor(
    private readonly owner: WasmDatabase,
    readonly handle: SqlJsStatement,
    private readonly sql: string,
    /** The C pointer, for binding text fast (see TextBinder); undefined: sql.js binds everything. */
    private readonly pointer: number | undefined,
    private readonly text: TextBinder,
  ) {
    this.readsOnly = READ_ONLY_SQL.test(sql);
  }

  run(...params: unknown[]): RunResult {
    // Two users of one cached statement: the other one is mid-iteration, so this call gets its own.
    if (this.iterating) return (this.owner.uncached(this.sql) as WasmStatement).run(...params);
    this.bind(params);
    try {
      while (this.handle.step());
    } finally {
      this.handle.reset();
    }
    return this.owner.afterRun(!this.readsOnly);
  }

  get(...params: unknown[]): Row | undefined {
    // Two users of one cached statement: the other one is mid-iteration, so this call gets its own.
    if (this.iterating) return (this.owner.uncached(this.sql) as WasmStatement).get(...params);
    this.bind(params);
    try {
      return this.handle.step() ? this.row() : undefined;
    } finally {
      this.handle.reset();
      if (!this.readsOnly) this.owner.afterRun(true);
    }
  }

  all(...params: unknown[]): Row[] {
    // Two users of one cached statement: the other one is mid-iteration, so this call gets its own.
    if (this.iterating) return (this.owner.uncached(this.sql) as WasmStatement).all(...params);
    this.bind(params);
    const rows: Row[] = [];
    try {
      while (this.handle.step()) rows.push(this.row());
    } finally {
      this.handle.reset();
      if (!this.readsOnly) this.owner.afterRun(true);
    }
    return rows;
  }

  iterate(...params: unknown[]): Iterator<Row> & Iterable<Row> {
    // Two users of one cached statement: the other one is mid-iteration, so this call gets its own.
    if (this.iterating) return (this.owner.uncached(this.sql) as WasmStatement).iterate(...params);
    this.bind(params);
    this.iterating = true;
    const statement = this;
    function* rows(): Generator<Row> {
      try {
        while (statement.handle.step()) yield statement.row();
      } finally {
        statement.iterating = false;
        statement.handle.reset();
        if (!statement.readsOnly) statement.owner.afterRun(true);
      }
    }
    return rows();
  }

  private bind(params: unknown[]): void {
    this.owner.assertOpen();
    const values = toBindParams(params);
    if (!values) {
      this.handle.reset();
    } else if (Array.isArray(values) && this.pointer !== undefined) {
      // sql.js binds the rest (numbers, blobs, nulls); strings go through the fast path after it.
      const texts: number[] = [];
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] === 'string') {
          texts.push(i);
          values[i] = null;
        }
      }
      this.handle.bind(values);
      for (const i of texts) this.text.bind(this.pointer, i + 1, params[i] as string);
    } else {
      this.handle.bind(values);
    }
  }

  private row(): Row {
    const values = this.handle.get();
    const names = (this.columns ??= this.handle.getColumnNames());
    const row: Row = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = checkedValue(values[i]!, names[i]!);
    return row;
  }
}

/** sql.js reads integers through doubles; like node:sqlite, refuse one that would come back changed. */
function checkedValue(value: SqlJsValue, column: string): SqlOutputValue {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    throw new RangeError(`Column "${column}" holds an integer beyond 2^53 that a JS number cannot hold exactly; read it with CAST(... AS TEXT)`);
  }
  return value;
}

/**
 * sql.js keeps the database in WebAssembly memory; this class makes it a vault
 * database: it loads the file (folding in a -wal the native engine may have
 * left), and writes complete images back atomically at checkpoints and on close.
 */
export class WasmDatabase implements Database {
  readonly engine = 'wasm' as const;
  private open = true;
  /**
   * One prepared statement per SQL text, reused: sql.js statements live in
   * WebAssembly memory until freed, and code written for node:sqlite prepares
   * freely (node:sqlite frees them when garbage-collected). Statements are
   * freed on close.
   */
  private readonly statements = new Map<string, WasmStatement>();
  /** Extra statements for SQL whose cached one is mid-iteration; freed when collected. */
  private readonly extra = new FinalizationRegistry<SqlJsStatement>((statement) => {
    if (this.open) statement.free();
  });
  private dirty = false;
  private changesSincePersist = 0;
  private lastPersistAt = performance.now();
  private lastPersistMs = 0;
  /** Set when a due checkpoint found a transaction open: wait for the next exec (COMMIT) before probing again. */
  private waitingForTransactionEnd = false;
  private readonly lastRowid: SqlJsStatement;

  constructor(
    private readonly db: SqlJsDatabase,
    private readonly file: string,
    private readonly readOnly: boolean,
    private readonly policy: CheckpointPolicy,
    private readonly text: TextBinder,
  ) {
    this.lastRowid = db.prepare('SELECT last_insert_rowid()');
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** sql.js does not export sqlite3_get_autocommit: BEGIN fails exactly when a transaction is open. */
  get isTransaction(): boolean {
    this.assertOpen();
    try {
      this.db.run('BEGIN DEFERRED');
    } catch {
      return true;
    }
    this.db.run('ROLLBACK');
    return false;
  }

  prepare(sql: string): Statement {
    this.assertOpen();
    const cached = this.statements.get(sql);
    if (cached && !cached.iterating) return cached;
    if (cached) return this.uncached(sql);
    const statement = this.newStatement(sql);
    this.statements.set(sql, statement);
    return statement;
  }

  /** @internal A statement of its own, freed once nothing holds it. */
  uncached(sql: string): Statement {
    this.assertOpen();
    const statement = this.newStatement(sql);
    this.extra.register(statement, statement.handle);
    return statement;
  }

  private newStatement(sql: string): WasmStatement {
    const prepared = this.db.prepare(sql);
    return new WasmStatement(this, prepared, sql, statementPointer(this.db, prepared), this.text);
  }

  exec(sql: string): void {
    this.assertOpen();
    this.db.run(sql);
    if (this.readOnly || READ_ONLY_SQL.test(sql)) return;
    this.dirty = true;
    this.changesSincePersist += this.db.getRowsModified();
    this.waitingForTransactionEnd = false;
    this.maybeCheckpoint();
  }

  /** @internal Bookkeeping after a statement that may have written (DDL changes no row, yet must be written too). */
  afterRun(mayWrite: boolean): RunResult {
    const changes = this.db.getRowsModified();
    if (mayWrite) {
      this.dirty = true;
      this.changesSincePersist += changes;
      if (!this.waitingForTransactionEnd) this.maybeCheckpoint();
    }
    // Read when asked (callers read it right after run()): most inserts never ask, and it costs a query.
    const owner = this;
    return {
      changes,
      get lastInsertRowid() {
        return owner.lastInsertRowid();
      },
    };
  }

  private lastInsertRowid(): number {
    try {
      this.lastRowid.step();
      return this.lastRowid.get()[0] as number;
    } finally {
      this.lastRowid.reset();
    }
  }

  checkpoint(): void {
    this.persist();
    if (this.sizeOnDisk > wasmVaultLimit()) throw tooLargeForWasm(this.file, this.sizeOnDisk);
  }

  close(): void {
    if (!this.open) return;
    try {
      // What a failed job left open is rolled back; what it committed is written.
      if (this.isTransaction) this.db.run('ROLLBACK');
      this.persist();
    } finally {
      // sql.js frees every statement of the database it closes.
      this.db.close();
      this.open = false;
    }
  }

  /** @internal */
  assertOpen(): void {
    if (!this.open) throw new Error('database is not open');
  }

  /** Size of the image last written, for the size limit. */
  private sizeOnDisk = 0;

  /** @internal Writes the image as it is now, used once at open after folding in a WAL. */
  persist(): void {
    if (this.readOnly || !this.dirty) return;
    const started = performance.now();
    const image = this.db.export();
    writeImageAtomically(this.file, image);
    this.sizeOnDisk = image.length;
    this.dirty = false;
    this.changesSincePersist = 0;
    this.lastPersistAt = performance.now();
    this.lastPersistMs = this.lastPersistAt - started;
  }

  /** @internal Marks the loaded image as needing a write (it differs from the file). */
  markDirty(): void {
    this.dirty = true;
  }

  private maybeCheckpoint(): void {
    if (this.readOnly || !this.dirty) return;
    const elapsed = performance.now() - this.lastPersistAt;
    if (elapsed < this.lastPersistMs * this.policy.spacingFactor) return;
    if (elapsed < this.policy.intervalMs && this.changesSincePersist < this.policy.changes) return;
    if (this.isTransaction) {
      this.waitingForTransactionEnd = true;
      return;
    }
    this.checkpoint();
  }
}

export class WasmEngine implements StorageEngine {
  readonly name = 'wasm' as const;
  readonly description = 'sql.js (SQLite compiled to WebAssembly, the vault held in memory)';
  /**
   * The journal only has to serve ROLLBACK: durability comes from the image
   * checkpoints. Exclusive locking: no other connection shares the in-memory
   * file, so SQLite keeps its page cache across transactions.
   */
  readonly writerPragmas = 'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;';
  readonly readerPragmas = 'PRAGMA query_only = ON;';

  private readonly text: TextBinder;
  private readonly readers = new SharedReaders();

  constructor(
    private readonly sqlJs: SqlJsModule,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {
    this.text = new TextBinder(sqlJs);
  }

  open(file: string, options: OpenDatabaseOptions): Database {
    if (options.readOnly) return this.readers.open(file, () => this.load(file, true));
    return this.load(file, false);
  }

  private load(file: string, readOnly: boolean): Database {
    const options = { readOnly };
    const size = fileSize(file);
    if (size > wasmVaultLimit()) throw tooLargeForWasm(file, size);
    if (!options.readOnly) removeStaleImages(file);
    // The file's own buffer, not a copy: sql.js copies it once more into its in-memory file system.
    const main: Uint8Array = size > 0 ? fs.readFileSync(file) : new Uint8Array(0);
    const wal = readIfPresent(`${file}-wal`);
    const replayed = wal && main.length > 0 ? replayWal(main, wal) : { image: main, frames: 0 };
    const image = replayed.image;
    // The rollback-journal file format: sql.js has no shared memory for WAL mode.
    if (image.length >= 20) image[18] = image[19] = 1;

    const db = new this.sqlJs.Database(image.length > 0 ? image : null);
    const database = new WasmDatabase(db, file, options.readOnly, this.policy, this.text);
    try {
      if (!options.readOnly && wal) this.retireWal(database, file, replayed.frames > 0);
    } catch (error) {
      database.close();
      throw error;
    }
    return database;
  }

  /**
   * The WAL is in the image now; write that image before anything changes,
   * then delete the log. A crash between the two leaves the new image and the
   * old log, whose frames are the pages the image already has: replaying them
   * changes nothing.
   */
  private retireWal(database: WasmDatabase, file: string, folded: boolean): void {
    if (folded) {
      database.markDirty();
      database.persist();
    }
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    syncFolder(path.dirname(file));
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function readIfPresent(file: string): Uint8Array | undefined {
  try {
    const bytes = fs.readFileSync(file);
    return bytes.length > 0 ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function loadWasmEngine(policy?: CheckpointPolicy): Promise<WasmEngine> {
  return new WasmEngine(await loadSqlJs(), policy);
}
