/**
 * The SQL database a vault talks to, whichever engine is underneath. Its
 * method names are node:sqlite's (`prepare().run/get/all/iterate`, `exec`), so
 * code written against `vault.db` reads the same on both engines; it is the
 * subset the rest of Guild Vault uses. Nothing outside src/core/vault names an
 * engine.
 */

/** What can be bound to a `?` or `:name` parameter. */
export type SqlInputValue = null | number | bigint | string | NodeJS.ArrayBufferView;
/** What a column reads back as: integers as numbers (exact up to 2^53), blobs as bytes. */
export type SqlOutputValue = null | number | bigint | string | Uint8Array;
export type Row = Record<string, SqlOutputValue>;
/** Named parameters, written without their prefix: `{ first }` binds `:first`, `@first` or `$first`. */
export type NamedParameters = Record<string, SqlInputValue>;

export interface RunResult {
  changes: number | bigint;
  lastInsertRowid: number | bigint;
}

export interface Statement {
  run(...anonymousParameters: SqlInputValue[]): RunResult;
  run(namedParameters: NamedParameters, ...anonymousParameters: SqlInputValue[]): RunResult;
  get(...anonymousParameters: SqlInputValue[]): Row | undefined;
  get(namedParameters: NamedParameters, ...anonymousParameters: SqlInputValue[]): Row | undefined;
  all(...anonymousParameters: SqlInputValue[]): Row[];
  all(namedParameters: NamedParameters, ...anonymousParameters: SqlInputValue[]): Row[];
  iterate(...anonymousParameters: SqlInputValue[]): Iterator<Row> & Iterable<Row>;
  iterate(namedParameters: NamedParameters, ...anonymousParameters: SqlInputValue[]): Iterator<Row> & Iterable<Row>;
}

export type EngineName = 'native' | 'wasm';

export interface Database {
  /** Which engine holds this database. */
  readonly engine: EngineName;
  readonly isOpen: boolean;
  /** Whether a transaction is open (BEGIN without COMMIT/ROLLBACK yet). */
  readonly isTransaction: boolean;
  prepare(sql: string): Statement;
  /** Runs one or more statements separated by `;`, without results. */
  exec(sql: string): void;
  /**
   * Makes everything committed so far durable on disk. The native engine
   * writes through on every commit, so this is a no-op there; the WASM engine
   * writes a complete new image of the database (and does so by itself at
   * time and size checkpoints).
   */
  checkpoint(): void;
  /** Checkpoints (when writable) and closes. */
  close(): void;
}

export interface OpenDatabaseOptions {
  readOnly: boolean;
}

export interface StorageEngine {
  readonly name: EngineName;
  /** A line for logs: "node:sqlite (SQLite 3.50.4)". */
  readonly description: string;
  /** Run by a writer once the file is known to be a vault: the engine's journal and sync settings. */
  readonly writerPragmas: string;
  readonly readerPragmas: string;
  /** Opens (or, when writable, creates) the SQLite file at `file`. */
  open(file: string, options: OpenDatabaseOptions): Database;
}
