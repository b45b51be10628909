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
