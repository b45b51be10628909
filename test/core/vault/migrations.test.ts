/**
 * Every schema version a released Guild Vault wrote must open in this one:
 * a vault at each earlier version (made by applying that version's
 * migrations, as that release did) is migrated on open and still holds every
 * row it held, column for column. And a migration's number is its place.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SCHEMA_VERSION, Vault, type Database } from '../../../src/core/vault';
import { checkMigrationOrder, MIGRATIONS, type Migration } from '../../../src/core/vault/migrations';
import { APPLICATION_ID } from '../../../src/core/vault/vault';
import { tempDir } from '../../support/tempDir';

type Rows = Record<string, unknown>[];

/** Values that satisfy the schema's CHECK constraints. */
const CHECKED: Record<string, (row: number) => unknown> = {
  'snapshots.kind': () => 'manual',
  'snapshots.pinned': (row) => row % 2,
  'snapshot_nodes.deleted': (row) => row % 2,
};

function columns(db: DatabaseSync, table: string): { name: string; type: string }[] {
  return db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
}

/** Ordinary tables: a full-text index (a virtual table and its shadow tables) is SQLite's to write, and rebuilt from the rows. */
function tables(db: DatabaseSync): string[] {
  const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
  const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  return all.filter((t) => !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`))).map((t) => t.name);
}

/** Two rows of distinct values in every table (foreign keys off: the rows only need to survive). */
function fill(db: DatabaseSync): Map<string, Rows> {
  const written = new Map<string, Rows>();
  for (const table of tables(db)) {
    const cols = columns(db, table);
    const rows: Rows = [];
    for (let row = 1; row <= 2; row++) {
      const values = cols.map(({ name, type }) => {
        const checked = CHECKED[`${table}.${name}`];
        if (checked) return checked(row);
        if (/INT/i.test(type)) return 1_000_000_000_000_000_000n * BigInt(row) + BigInt(name.length);
        if (/REAL/i.test(type)) return row + 0.5;
        if (/BLOB/i.test(type)) return Buffer.from([row, name.length]);
        return `${table}.${name}.${row} ü 🎉`;
      });
      db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...(values as never[]));
      rows.push(Object.fromEntries(cols.map((c, i) => [c.name, values[i]])));
    }
    written.set(table, rows);
  }
  return written;
}

/** Rows as sorted JSON lines (integers as bigints, blobs as hex), to compare whatever the row order. */
function canonical(rows: Rows): string[] {
  const value = (v: unknown) => (v instanceof Uint8Array ? `blob:${Buffer.from(v).toString('hex')}` : typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) ? `int:${String(v)}` : v);
  return rows.map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, value(v)]))).sort();
}

/** A vault as the release with schema `version` left it. */
function vaultAtVersion(dir: string, version: number): DatabaseSync {
  fs.mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(path.join(dir, 'vault.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF');
  // node:sqlite has every method a migration uses; the vault's own engine is what opens it afterwards.
  for (const migration of MIGRATIONS.slice(0, version)) migration.up(db as unknown as Database);
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${version};`);
  return db;
}

describe('vault schema migrations', () => {
  let root: string;
  beforeEach(() => (root = tempDir('gv-migrate-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  for (let version = 1; version < SCHEMA_VERSION; version++) {
    it(`opens a vault of schema ${version}, migrates it to ${SCHEMA_VERSION} and keeps every row`, () => {
      const dir = path.join(root, `v${version}`);
      const old = vaultAtVersion(dir, version);
      const written = fill(old);
      old.close();

      const vault = Vault.open(dir);
      try {
        assert.equal(Number((vault.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version), SCHEMA_VERSION);
      } finally {
        vault.close();
      }
      // Read back with 64-bit integers intact (node:sqlite's big-int mode), whichever engine migrated it.
      const migrated = new DatabaseSync(path.join(dir, 'vault.db'), { readOnly: true });
      try {
        for (const [table, rows] of written) {
          const names = Object.keys(rows[0]!);
          const read = migrated.prepare(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM "${table}"`);
          read.setReadBigInts(true);
          assert.deepEqual(canonical(read.all() as Rows), canonical(rows), `table ${table} after migrating from ${version}`);
        }
      } finally {
        migrated.close();
      }
    });
  }

  it('moves failed downloads\' HTTP status into its column, and gives failed attachment links one more try', () => {
    const dir = path.join(root, 'media');
    const old = vaultAtVersion(dir, 4);
    const insert = old.prepare("INSERT INTO media_refs (owner_kind, owner_id, slot, source_url, status, problem) VALUES (?, ?, 'file', 'https://cdn.discordapp.com/x', ?, ?)");
    insert.run('attachment', '1', 'failed', 'Download of https://cdn.discordapp.com/x failed: HTTP 404. The file is gone or its link expired.');
    insert.run('avatar', '2', 'failed', 'Download of https://cdn.discordapp.com/y failed: HTTP 404.');
    insert.run('attachment', '3', 'failed', 'Download of https://cdn.discordapp.com/z failed: HTTP 503.');
    insert.run('attachment', '4', 'failed', 'Cannot download https://cdn.discordapp.com/w (connection refused).');
    insert.run('attachment', '5', 'stored', null);
    old.close();
    const vault = Vault.open(dir);
    try {
      const rows = vault.db.prepare('SELECT owner_id AS id, status, http_status AS http FROM media_refs ORDER BY owner_id').all();
      assert.deepEqual(rows.map((r) => ({ ...r })), [
        { id: '1', status: 'pending', http: null },
        { id: '2', status: 'failed', http: 404 },
        { id: '3', status: 'failed', http: 503 },
        { id: '4', status: 'failed', http: null },
        { id: '5', status: 'stored', http: null },
      ]);
    } finally {
      vault.close();
    }
  });

  it('numbers every migration by its place, and refuses a list where one is out of place', () => {
    checkMigrationOrder(MIGRATIONS);
    const skipped: Migration[] = [MIGRATIONS[0]!, MIGRATIONS[2]!];
    assert.throws(() => checkMigrationOrder(skipped), /numbered 3 but is number 2/);
    const twice: Migration[] = [...MIGRATIONS, { ...MIGRATIONS[MIGRATIONS.length - 1]!, description: 'another branch\'s' }];
    assert.throws(() => checkMigrationOrder(twice), new RegExp(`another branch's" is numbered ${SCHEMA_VERSION} but is number ${SCHEMA_VERSION + 1}`));
  });
});
