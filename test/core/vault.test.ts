import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isGuildVaultError } from '../../src/core/errors';
import { LOCK_FILE, SCHEMA_VERSION, Vault, currentEngine } from '../../src/core/vault';
import { tempDir as makeTempDir } from '../support/tempDir';

function tempDir(): string {
  return makeTempDir('gv-vault-');
}

function sha(file: string): string {
  return require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('vault', () => {
  it('creates a database with foreign keys and the current schema (WAL mode on the native engine)', () => {
    const dir = tempDir();
    const vault = Vault.open(dir);
    try {
      // The WASM engine keeps its rollback journal in memory: durability comes from whole-image checkpoints.
      assert.equal((vault.db.prepare('PRAGMA journal_mode').get() as any).journal_mode, vault.db.engine === 'native' ? 'wal' : 'memory');
      assert.equal((vault.db.prepare('PRAGMA foreign_keys').get() as any).foreign_keys, 1);
      assert.equal((vault.db.prepare('PRAGMA user_version').get() as any).user_version, SCHEMA_VERSION);
      assert.ok(fs.statSync(vault.casDir).isDirectory());
      vault.setMeta('guild_name', 'Test');
    } finally {
      vault.close();
    }
    const again = Vault.open(dir, { mode: 'read' });
    assert.equal(again.getMeta('guild_name'), 'Test');
    again.close();
  });

  it('refuses a second writer with the owner pid, and frees the lock on close', () => {
    const dir = tempDir();
    const first = Vault.open(dir, { purpose: 'backup' });
    assert.throws(() => Vault.open(dir), (e: unknown) => isGuildVaultError(e, 'VAULT_LOCKED') && e.message.includes(String(process.pid)) && e.message.includes('backup'));
    first.close();
    Vault.open(dir).close();
  });

  it('recovers a lock left by a killed process', async () => {
    const dir = tempDir();
    Vault.open(dir).close();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((resolve) => child.once('spawn', resolve));
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, hostname: os.hostname(), acquiredAt: new Date().toISOString() }));
    assert.throws(() => Vault.open(dir), (e: unknown) => isGuildVaultError(e, 'VAULT_LOCKED'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const vault = Vault.open(dir);
    vault.close();
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)));
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'vault.db');
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const before = sha(file);
    assert.throws(() => Vault.open(dir), (e: unknown) => isGuildVaultError(e, 'VAULT_NOT_A_VAULT'));
    assert.equal(sha(file), before);
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)), 'lock released after the failure');
  });

  it('refuses another application\'s SQLite database and leaves it untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'vault.db');
    const other = new DatabaseSync(file);
    other.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'keep me\')');
    other.close();
    const before = sha(file);
    assert.throws(() => Vault.open(dir), (e: unknown) => isGuildVaultError(e, 'VAULT_NOT_A_VAULT'));
    assert.equal(sha(file), before);
  });

  it('refuses a vault from a newer version and leaves it untouched', () => {
    const dir = tempDir();
    Vault.open(dir).close();
    const file = path.join(dir, 'vault.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;`);
    db.close();
    const before = sha(file);
    for (const mode of ['write', 'read'] as const) {
      assert.throws(() => Vault.open(dir, { mode }), (e: unknown) => isGuildVaultError(e, 'VAULT_TOO_NEW') && /newer Guild Vault/.test(e.message));
    }
    assert.equal(sha(file), before);
  });

  it('reports a damaged database as corrupt without modifying it', () => {
    const dir = tempDir();
    const vault = Vault.open(dir);
    vault.db.exec('CREATE TABLE filler (x BLOB)');
    for (let i = 0; i < 50; i++) vault.db.prepare('INSERT INTO filler VALUES (randomblob(4000))').run();
    vault.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    vault.close();
    const file = path.join(dir, 'vault.db');
    const bytes = fs.readFileSync(file);
    bytes.fill(0xab, 100, 4096 * 3); // keep the header, wreck the schema page
    fs.writeFileSync(file, bytes);
    const before = sha(file);
    assert.throws(() => Vault.open(dir), (e: unknown) => isGuildVaultError(e, 'VAULT_CORRUPT') || isGuildVaultError(e, 'VAULT_NOT_A_VAULT'));
    assert.equal(sha(file), before);
  });

  it('reports a vault cut short (a partial copy, a full disk) as damaged, whether cut mid-page or at a page boundary, without touching it', () => {
    for (const cut of ['mid-page', 'page boundary'] as const) {
      const dir = tempDir();
      const vault = Vault.open(dir);
      vault.db.exec('CREATE TABLE filler (x BLOB)');
      for (let i = 0; i < 200; i++) vault.db.prepare('INSERT INTO filler VALUES (randomblob(3000))').run();
      vault.checkpoint();
      vault.close();
      const file = path.join(dir, 'vault.db');
      const size = fs.statSync(file).size;
      fs.truncateSync(file, cut === 'mid-page' ? size - 1000 : size - 2 * 4096);
      const before = sha(file);
      for (const mode of ['write', 'read'] as const) {
        assert.throws(
          () => Vault.open(dir, { mode }).close(),
          (e: unknown) => isGuildVaultError(e, 'VAULT_CORRUPT') && /cut short|damaged/.test(e.message),
          `${cut}, ${mode}`,
        );
        assert.equal(sha(file), before, `${cut}, ${mode}: the file is left as it was`);
      }
    }
  });

  /** A closed vault holding meta 'kept' = 'yes', for the tests where another program holds its file. */
  const vaultKeepingMeta = (): string => {
    const dir = tempDir();
    const vault = Vault.open(dir);
    vault.setMeta('kept', 'yes');
    vault.close();
    return dir;
  };

  it('says another program holds the database (VAULT_LOCKED) when it writes there, and loses nothing', function () {
    // The WebAssembly engine writes whole images and cannot see SQLite's locks: only Guild Vault's own lock guards it.
    if (currentEngine().name !== 'native') this.skip();
    this.timeout(30_000);
    const dir = vaultKeepingMeta();
    const other = new DatabaseSync(path.join(dir, 'vault.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const mine = Vault.open(dir);
      try {
        assert.throws(() => mine.transaction(() => mine.setMeta('mine', '1')), (e: unknown) => isGuildVaultError(e, 'VAULT_LOCKED') && /locked by another program/.test(e.message));
        assert.equal(mine.getMeta('kept'), 'yes');
      } finally {
        mine.close();
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = Vault.open(dir);
    after.transaction(() => after.setMeta('mine', '1'));
    assert.equal(after.getMeta('kept'), 'yes');
    after.close();
  });

  it('waits, to read and to write, while another program holds the whole file for a moment (as a last connection does while it checkpoints on close)', async function () {
    if (currentEngine().name !== 'native') this.skip();
    this.timeout(30_000);
    const dir = vaultKeepingMeta();
    // A process with an exclusive lock on vault.db, released after 800 ms: no reader or writer gets in meanwhile.
    const holder = spawn(process.execPath, ['-e', `
      const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(process.argv[1]);
      db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE vault_meta SET value = value WHERE key = \\'kept\\'; COMMIT');
      process.stdout.write('held\\n');
      setTimeout(() => db.close(), 800);
    `, path.join(dir, 'vault.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
      });
      for (const mode of ['read', 'write'] as const) {
        const started = Date.now();
        const opened = Vault.open(dir, { mode });
        try {
          assert.equal(opened.getMeta('kept'), 'yes', mode);
        } finally {
          opened.close();
        }
        if (mode === 'read') assert.ok(Date.now() - started >= 300, `the reader waited for the lock (${Date.now() - started} ms)`);
      }
    } finally {
      holder.kill();
    }
  });

  it('reports a folder that cannot be written', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    assert.throws(() => Vault.open(path.join(blocker, 'vault')), (e: unknown) => isGuildVaultError(e, 'VAULT_NOT_WRITABLE') && /ENOTDIR|EEXIST/.test(e.message));
  });

  it('rolls a failed transaction back', () => {
    const vault = Vault.open(tempDir());
    try {
      assert.throws(() => vault.transaction(() => {
        vault.setMeta('a', '1');
        throw new Error('boom');
      }));
      assert.equal(vault.getMeta('a'), undefined);
      vault.transaction(() => {
        vault.setMeta('b', '2');
        assert.throws(() => vault.transaction(() => { vault.setMeta('c', '3'); throw new Error('inner'); }));
      });
      assert.equal(vault.getMeta('b'), '2');
      assert.equal(vault.getMeta('c'), undefined);
    } finally {
      vault.close();
    }
  });
});
