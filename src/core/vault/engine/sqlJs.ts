/**
 * The part of sql.js (SQLite compiled to WebAssembly) the WASM engine uses,
 * typed here rather than through @types/sql.js, and its loading: the .wasm
 * file ships beside the bundle (dist/sql-wasm.wasm, copied by scripts/build.mjs)
 * or comes from node_modules when running from source. Nothing is downloaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SqlJsValue = number | string | Uint8Array | null;
export type SqlJsBindParams = (SqlJsValue | bigint)[] | Record<string, SqlJsValue | bigint>;

export interface SqlJsStatement {
  bind(values?: SqlJsBindParams): boolean;
  step(): boolean;
  get(): SqlJsValue[];
  getColumnNames(): string[];
  reset(): boolean;
  free(): boolean;
}

export interface SqlJsDatabase {
  run(sql: string): SqlJsDatabase;
  exec(sql: string): { columns: string[]; values: SqlJsValue[][] }[];
  prepare(sql: string): SqlJsStatement;
  getRowsModified(): number;
  export(): Uint8Array;
  close(): void;
}

export interface SqlJsModule {
  Database: new (data?: Uint8Array | null) => SqlJsDatabase;
  /** The C API and heap access sql.js exports, for binding text without its per-character JS encoder. */
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _sqlite3_bind_text(statement: number, index: number, text: number, bytes: number, destructor: number): number;
  writeArrayToMemory(bytes: Uint8Array, pointer: number): void;
}

/**
 * sql.js keeps each statement's C pointer under a minified property name; its
 * database object maps pointers to statements, which finds it without knowing
 * that name. Undefined when this sql.js is laid out differently (binding then
 * stays with sql.js's own, slower path).
 */
export function statementPointer(db: SqlJsDatabase, statement: SqlJsStatement): number | undefined {
  for (const value of Object.values(db as unknown as Record<string, unknown>)) {
    if (!value || typeof value !== 'object' || value instanceof Map || ArrayBuffer.isView(value)) continue;
    for (const [key, candidate] of Object.entries(value as Record<string, unknown>)) {
      if (candidate === statement && /^\d+$/.test(key)) return Number(key);
    }
  }
  return undefined;
}

const SQLITE_TRANSIENT = -1;

/**
 * Binds JS strings as UTF-8 text through one reused heap buffer: the native
 * encoder plus one copy, where sql.js walks every character in JS (a fifth of
 * the ingest's time on message JSON). SQLITE_TRANSIENT: SQLite copies the text
 * at once, so the buffer is free again after each call.
 */
export class TextBinder {
  private heap = 0;
  private heapBytes = 0;
  private scratch = new Uint8Array(4096);
  private readonly encoder = new TextEncoder();

  constructor(private readonly sqlJs: SqlJsModule) {}

  bind(statement: number, index: number, text: string): void {
    if (this.scratch.length < text.length * 3) this.scratch = new Uint8Array(text.length * 3);
    const { written } = this.encoder.encodeInto(text, this.scratch);
    if (this.heapBytes < written + 1) {
      if (this.heap) this.sqlJs._free(this.heap);
      this.heapBytes = Math.max(written + 1, this.heapBytes * 2, 4096);
      this.heap = this.sqlJs._malloc(this.heapBytes);
    }
    this.sqlJs.writeArrayToMemory(this.scratch.subarray(0, written), this.heap);
    const rc = this.sqlJs._sqlite3_bind_text(statement, index, this.heap, written, SQLITE_TRANSIENT);
    if (rc !== 0) throw new Error(`SQLite could not bind parameter ${index} (error ${rc})`);
  }
}

type InitSqlJs = (config: { wasmBinary: Uint8Array }) => Promise<SqlJsModule>;

const WASM_FILE = 'sql-wasm.wasm';

/** Where sql.js's .wasm is: beside the bundle in dist/, else in node_modules. */
function locateWasm(): string {
  const beside = path.join(__dirname, WASM_FILE);
  if (fs.existsSync(beside)) return beside;
  try {
    return require.resolve(`sql.js/dist/${WASM_FILE}`);
  } catch {
    throw new Error(`sql.js's ${WASM_FILE} is missing (looked beside ${__dirname} and in node_modules); reinstall Guild Vault.`);
  }
}

let loading: Promise<SqlJsModule> | undefined;

/** Compiles the WebAssembly module once per process. */
export function loadSqlJs(): Promise<SqlJsModule> {
  loading ??= (async () => {
    const initSqlJs = require('sql.js') as InitSqlJs;
    return initSqlJs({ wasmBinary: fs.readFileSync(locateWasm()) });
  })();
  return loading;
}
