import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuildVaultError } from '../errors';
import { currentEngine, type Database, type StorageEngine } from './engine';
import { VaultLock } from './lock';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { orDiskFull } from './diskFull';

/** 'GVLT': marks a SQLite file as a Guild Vault, so we never write into someone else's database. */
export const APPLICATION_ID = 0x47564c54;
export const DB_FILE = 'vault.db';
export const LOCK_FILE = 'vault.lock';
export const CAS_DIR = 'cas';
const SQLITE_HEADER = 'SQLite format 3\0';

export type VaultMode = 'read' | 'write';

export interface OpenVaultOptions {
  /** 'write' takes the vault's lock and migrates it; 'read' does neither and never modifies a file. */
  mode?: VaultMode;
  /** Shown to a second writer in the "vault in use" error, e.g. "backup". */
  purpose?: string;
  /** The storage engine; by default the one the host selected (see selectEngine). */
  engine?: StorageEngine;
}

/**
 * One guild's vault: a folder holding `vault.db` (SQLite; in WAL mode on the
 * native engine; foreign keys on) and `cas/`, the media pool. Readers may open
 * it while a writer works. The file is ordinary SQLite on either engine.
 */
export class Vault {
  private readonly closing = new Set<() => void>();

  /** Use Vault.open(). */
  constructor(
    readonly dir: string,
    readonly db: Database,
    readonly mode: VaultMode,
    private readonly lock: VaultLock | undefined,
  ) {}

  get dbPath(): string {
    return path.join(this.dir, DB_FILE);
  }

  get casDir(): string {
    return path.join(this.dir, CAS_DIR);
  }

  static open(dir: string, options: OpenVaultOptions = {}): Vault {
    const mode = options.mode ?? 'write';
    const engine = options.engine ?? currentEngine();
    return mode === 'write' ? openForWriting(engine, dir, options.purpose) : openForReading(engine, dir);
  }

  /** Runs `fn` in one transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) {
      const name = `sp_${++savepointCounter}`;
      this.db.exec(`SAVEPOINT ${name}`);
      try {
        const result = fn();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw writeFailure(error, this.dbPath);
      }
    }
    try {
      // Another program (sqlite3, a database browser) holding the write lock fails here, after the busy timeout.
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw writeFailure(error, this.dbPath);
    }
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      // A full disk, a lock held by another program: the user's to fix, not a bug; say so, naming the file.
      throw writeFailure(error, this.dbPath);
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM vault_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Makes what is committed durable now (the WASM engine also does so by itself, every few seconds). */
  checkpoint(): void {
    this.db.checkpoint();
  }

  /**
   * Runs `fn` when the vault closes, before its connection does: for what
   * lives only as long as the vault (a background checkpointer). `fn` must
   * not throw. Returns the function that takes it back.
   */
  onClose(fn: () => void): () => void {
    this.closing.add(fn);
    return () => this.closing.delete(fn);
  }

  close(): void {
    try {
      for (const fn of this.closing) fn();
      this.closing.clear();
      if (this.db.isOpen) this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}

let savepointCounter = 0;

function openForWriting(engine: StorageEngine, dir: string, purpose: string | undefined): Vault {
  ensureWritableDir(dir);
  const lock = VaultLock.acquire(path.join(dir, LOCK_FILE), purpose);
  try {
    const dbPath = path.join(dir, DB_FILE);
    checkHeader(dbPath);
    checkVaultWritable(dir);
    const db = openDatabase(engine, dbPath, false);
    try {
      // Nothing is written before the file is known to be a vault (or empty).
      inspect(db, dbPath);
      db.exec(`${engine.writerPragmas} PRAGMA foreign_keys = ON;`);
      migrate(db);
      fs.mkdirSync(path.join(dir, CAS_DIR), { recursive: true });
      return new Vault(dir, db, 'write', lock);
    } catch (error) {
      db.close();
      throw translateSqliteError(error, dbPath);
    }
  } catch (error) {
    lock.release();
    throw error;
  }
}

function openForReading(engine: StorageEngine, dir: string): Vault {
  const dbPath = path.join(dir, DB_FILE);
  if (!fs.existsSync(dbPath)) {
    throw new GuildVaultError('VAULT_NOT_FOUND', `There is no vault at ${dir}.`, 'Back up the server first, or check the vault path.');
  }
  checkHeader(dbPath);
  const db = openDatabase(engine, dbPath, true);
  try {
    const version = inspect(db, dbPath);
    if (version < SCHEMA_VERSION) {
      throw new GuildVaultError(
        'VAULT_OUTDATED',
        `The vault at ${dir} has schema version ${version}; this Guild Vault reads version ${SCHEMA_VERSION}.`,
        'Open it once for writing (run a backup) to upgrade it.',
      );
    }
    if (engine.readerPragmas) db.exec(engine.readerPragmas);
  } catch (error) {
    db.close();
    throw error;
  }
  return new Vault(dir, db, 'read', undefined);
}

/**
 * Fails with VAULT_NOT_WRITABLE when a vault at `dir` could not be written,
 * without creating anything: the folder (or, for a new vault, the nearest
 * folder that exists) and vault.db must be writable. Jobs call it before their
 * first request, so a read-only vault costs no request to Discord.
 */
export function checkVaultWritable(dir: string): void {
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const dbPath = path.join(dir, DB_FILE);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
    if (fs.existsSync(dbPath)) {
      fs.accessSync(dbPath, fs.constants.W_OK);
      fs.closeSync(fs.openSync(dbPath, 'r+'));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const what = fs.existsSync(dbPath) ? `the vault database ${dbPath}` : `the vault folder ${existing === dir ? dir : `${dir} (${existing} is not writable)`}`;
    throw new GuildVaultError('VAULT_NOT_WRITABLE', `Cannot write to ${what} (${code}).`, 'Make it writable for this user, or choose another vault folder (--vault or the guildVault.vaultDirectory setting).', { cause: error });
  }
}

function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new GuildVaultError(
      'VAULT_NOT_WRITABLE',
      `Cannot write to the vault folder ${dir} (${code}).`,
      'Choose a folder you can write to (setting "guildVault.vaultDirectory" or --vault).',
      { cause: error },
    );
  }
}

/**
 * Refuses, before any engine opens it, a file that is not SQLite at all, and
 * one cut short (a partial copy, a disk that filled): SQLite reads missing
 * pages as zeros and would open it, losing what they held without a word.
 */
function checkHeader(dbPath: string): void {
  let header: Buffer;
  let size: number;
  try {
    const fd = fs.openSync(dbPath, 'r');
    try {
      header = Buffer.alloc(100);
      const read = fs.readSync(fd, header, 0, 100, 0);
      if (read === 0) return; // an empty file: a vault whose creation was interrupted
      header = header.subarray(0, read);
      size = fs.fstatSync(fd).size;
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new GuildVaultError('VAULT_NOT_A_VAULT', `${dbPath} is not a Guild Vault (not a SQLite database).`, 'Point Guild Vault at an empty folder or an existing vault; the file was left untouched.');
  }
  const cutShort = truncation(header, size, logHoldsPages(dbPath));
  if (cutShort) {
    throw new GuildVaultError('VAULT_CORRUPT', `The vault database ${dbPath} is cut short (${cutShort}).`, 'Restore it from a complete copy (a bundle, a backup); it was left untouched.');
  }
}

/**
 * Why a database file is shorter than it says it is, or undefined. Its size is
 * a whole number of pages, and the page count in its header (valid when its two
 * change counters agree) is what the file holds; a write-ahead log with frames
 * or a hot journal may still hold pages the file lacks, so then only the first check applies.
 */
function truncation(header: Buffer, size: number, logHoldsPages: boolean): string | undefined {
  if (header.length < 100) return `${size} bytes, less than a database header`;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return undefined; // not for us to judge: SQLite will say what is wrong
  if (size % pageSize !== 0) return `${size} bytes, not a whole number of ${pageSize}-byte pages`;
  const pages = header.readUInt32BE(28);
  const headerValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (!logHoldsPages && headerValid && pages * pageSize > size) return `${size / pageSize} of its ${pages} pages`;
  return undefined;
}

/** A write-ahead log with frames, or a rollback journal: either can hold pages SQLite puts back on open. */
function logHoldsPages(dbPath: string): boolean {
  const wal = fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false });
  const journal = fs.statSync(`${dbPath}-journal`, { throwIfNoEntry: false });
  return (wal !== undefined && wal.size > 32) || (journal !== undefined && journal.size > 0);
}

/**
 * Checks, reading only, that an open database is a Guild Vault this version
 * can use. Returns its schema version (0 for a new, empty database).
 */
function inspect(db: Database, dbPath: string): number {
  const applicationId = pragmaNumber(db, 'application_id', dbPath);
  const version = pragmaNumber(db, 'user_version', dbPath);
  if (applicationId !== APPLICATION_ID) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (applicationId !== 0 || tables.n > 0) {
      throw new GuildVaultError('VAULT_NOT_A_VAULT', `${dbPath} is a SQLite database, but not a Guild Vault.`, 'Point Guild Vault at an empty folder or an existing vault; the file was left untouched.');
    }
  }
  if (version > SCHEMA_VERSION) {
    throw new GuildVaultError(
      'VAULT_TOO_NEW',
      `The vault at ${dbPath} was written by a newer Guild Vault (schema ${version}, this version knows ${SCHEMA_VERSION}).`,
      'Update Guild Vault to open it; the vault was left untouched.',
    );
  }
  return version;
}

function pragmaNumber(db: Database, name: string, dbPath: string): number {
  try {
    const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, number>;
    return Number(row[name]);
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  }
}

function openDatabase(engine: StorageEngine, dbPath: string, readOnly: boolean): Database {
  try {
    return engine.open(dbPath, { readOnly });
  } catch (error) {
    throw translateSqliteError(error, dbPath);
  }
}

function migrate(db: Database): void {
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (current === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const migration of MIGRATIONS.slice(current)) migration.up(db);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION};`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  // A new or upgraded vault is on disk before any job starts (the WASM engine writes at checkpoints only).
  db.checkpoint();
}

/**
 * Why a write failed, as the user can act on it: SQLite's own errors are
 * translated (disk full, locked by another program, read-only, damaged);
 * anything else thrown inside a transaction (a bug, a cancel) stays as it is,
 * but for a full disk, which any write can meet.
 */
function writeFailure(error: unknown, dbPath: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const fromSqlite = typeof code === 'string' && /^(ERR_SQLITE|SQLITE_)/.test(code);
  return fromSqlite ? translateSqliteError(error, dbPath) : orDiskFull(error, path.dirname(dbPath));
}

export function translateSqliteError(error: unknown, dbPath: string): Error {
  if (error instanceof GuildVaultError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|malformed|corrupt/i.test(message)) {
    return new GuildVaultError('VAULT_CORRUPT', `The vault database ${dbPath} is damaged (${message}).`, 'Restore it from a copy, or move it aside and back up again; it was left untouched.', { cause: error });
  }
  if (/readonly database|read-only/i.test(message)) {
    return new GuildVaultError('VAULT_NOT_WRITABLE', `The vault database ${dbPath} cannot be written (${message}).`, 'Make the file and its folder writable for this user, or choose another vault folder (--vault or the guildVault.vaultDirectory setting).', { cause: error });
  }
  if (/database or disk is full/i.test(message)) return orDiskFull(error, path.dirname(dbPath)) as Error;
  if (/locked|busy/i.test(message)) {
    return new GuildVaultError('VAULT_LOCKED', `The vault database ${dbPath} is locked by another program (${message}).`, 'Close the other program and try again.', { cause: error });
  }
  return error instanceof Error ? error : new Error(message);
}
