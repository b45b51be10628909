import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isGuildVaultError } from '../../src/core/errors';
import { DB_FILE, resolveEngine, Vault, WASM_MAX_VAULT_BYTES, type StorageEngine } from '../../src/core/vault';
import { WasmEngine } from '../../src/core/vault/engine/wasmEngine';
import { loadSqlJs } from '../../src/core/vault/engine/sqlJs';

/** The two engines side by side, in one process: one file format, and what the WASM engine does to stay durable. */
describe('vault storage engines', () => {
  let native: StorageEngine;
  let wasm: StorageEngine;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-engines-'));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    native = (await resolveEngine('native')).engine;
    wasm = (await resolveEngine('wasm')).engine;
  });
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function fill(vault: Vault, from: number, count: number): void {
    vault.transaction(() => {
      const insert = vault.db.prepare('INSERT INTO vault_meta (key, value) VALUES (:key, :value)');
      for (let i = from; i < from + count; i++) insert.run({ key: `k${i}`, value: `välue ${i} ✓` });
    });
  }

  function contents(vault: Vault): string[] {
    return (vault.db.prepare('SELECT key, value FROM vault_meta ORDER BY key').all() as { key: string; value: string }[]).map((r) => `${r.key}=${r.value}`);
  }

  for (const [writer, reader] of [
    ['wasm', 'native'],
    ['native', 'wasm'],
  ] as const) {
    it(`opens a vault written by the ${writer} engine with the ${reader} engine, and writes on in it`, () => {
      const engines = { native, wasm };
      const dir = tempDir();
      const first = Vault.open(dir, { engine: engines[writer] });
      fill(first, 0, 500);
      const written = contents(first);
      first.close();

      const second = Vault.open(dir, { engine: engines[reader] });
      assert.equal(second.db.engine, reader);
      assert.deepEqual(contents(second), written);
      fill(second, 500, 10);
      second.close();

      const back = Vault.open(dir, { engine: engines[writer], mode: 'read' });
      assert.equal(contents(back).length, 510);
      assert.equal((back.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      back.close();
    });
  }

  it('folds in the write-ahead log a killed native writer left, then removes it', () => {
    const dir = tempDir();
    const crashed = tempDir();
    const vault = Vault.open(dir, { engine: native });
    fill(vault, 0, 300);
    // The files as a kill -9 leaves them: the newest commits are only in vault.db-wal.
    for (const name of [DB_FILE, `${DB_FILE}-wal`]) fs.copyFileSync(path.join(dir, name), path.join(crashed, name));
    const expected = contents(vault);
    vault.close();
    assert.ok(fs.statSync(path.join(crashed, `${DB_FILE}-wal`)).size > 0);
    const withoutLog = tempDir();
    fs.copyFileSync(path.join(crashed, DB_FILE), path.join(withoutLog, DB_FILE));
    // Everything is still in the log: the main file alone is not even a vault yet.
    assert.throws(() => Vault.open(withoutLog, { engine: wasm, mode: 'read' }), (e: unknown) => isGuildVaultError(e, 'VAULT_OUTDATED'));

    const reader = Vault.open(crashed, { engine: wasm, mode: 'read' });
    assert.deepEqual(contents(reader), expected);
    reader.close();
    assert.ok(fs.existsSync(path.join(crashed, `${DB_FILE}-wal`)), 'a reader changes no file');

    const writer = Vault.open(crashed, { engine: wasm });
    assert.deepEqual(contents(writer), expected);
    assert.ok(!fs.existsSync(path.join(crashed, `${DB_FILE}-wal`)), 'the log is retired once its pages are in the image');
    writer.close();
    const check = Vault.open(crashed, { engine: native, mode: 'read' });
    assert.deepEqual(contents(check), expected);
    check.close();
  });

  it('writes the image at checkpoints during a job, atomically, not only at the end', async () => {
    const engine = new WasmEngine(await loadSqlJs(), { intervalMs: 60_000, changes: 100, spacingFactor: 0 });
    const dir = tempDir();
    const vault = Vault.open(dir, { engine });
    try {
      fill(vault, 0, 50);
      const onDisk = () => {
        const reader = Vault.open(dir, { engine: native, mode: 'read' });
        try {
          return contents(reader).length;
        } finally {
          reader.close();
        }
      };
      assert.equal(onDisk(), 0, 'below the checkpoint size nothing is written yet');
      fill(vault, 50, 60);
      assert.equal(onDisk(), 110, 'past 100 changes the committed rows are on disk, while the vault is still open');
      assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith(DB_FILE) && name !== DB_FILE), [], 'no temporary image is left');
    } finally {
      vault.close();
    }
  });

  it('shares one loaded image among readers of an unchanged file, and loads the new one after a checkpoint', () => {
    const dir = tempDir();
    const writer = Vault.open(dir, { engine: wasm });
    fill(writer, 0, 10);
    writer.checkpoint();
    const first = Vault.open(dir, { engine: wasm, mode: 'read' });
    const second = Vault.open(dir, { engine: wasm, mode: 'read' });
    assert.equal(contents(first).length, 10);
    first.close();
    assert.equal(contents(second).length, 10, 'closing one reader leaves the other working');
    assert.throws(() => first.db.prepare('SELECT 1'), /not open/);

    fill(writer, 10, 5);
    writer.checkpoint();
    const third = Vault.open(dir, { engine: wasm, mode: 'read' });
    assert.equal(contents(third).length, 15, 'a reader after the checkpoint sees it');
    assert.equal(contents(second).length, 10, 'an open reader keeps the image it started with');
    second.close();
    third.close();
    writer.close();
  });

  it('removes a temporary image a killed writer left, and keeps the last complete one', () => {
    const dir = tempDir();
    const vault = Vault.open(dir, { engine: wasm });
    fill(vault, 0, 20);
    vault.close();
    const stale = path.join(dir, `${DB_FILE}.image-99999`);
    fs.writeFileSync(stale, 'half an image');
    const again = Vault.open(dir, { engine: wasm });
    assert.equal(contents(again).length, 20);
    again.close();
    assert.ok(!fs.existsSync(stale));
  });

  it('refuses a vault above its size limit on the WASM engine, naming the fix, and leaves it untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, Buffer.from('SQLite format 3\0'));
    fs.ftruncateSync(fd, WASM_MAX_VAULT_BYTES + 4096); // sparse: no real gigabyte on disk
    fs.closeSync(fd);
    for (const mode of ['read', 'write'] as const) {
      assert.throws(
        () => Vault.open(dir, { engine: wasm, mode }),
        (e: unknown) => isGuildVaultError(e, 'VAULT_TOO_LARGE') && /1024 MB/.test(e.message) && /node:sqlite/.test(e.hint) && /1\.101/.test(e.hint),
      );
    }
    assert.equal(fs.statSync(file).size, WASM_MAX_VAULT_BYTES + 4096);
    assert.ok(!fs.existsSync(path.join(dir, 'vault.lock')), 'the lock is released');
  });

  for (const name of ['native', 'wasm'] as const) {
    it(`reads integers exactly or refuses them, binds named parameters without their prefix, keeps hostile text intact, walks one statement while another runs (${name})`, () => {
      const vault = Vault.open(tempDir(), { engine: name === 'native' ? native : wasm });
      try {
        assert.equal((vault.db.prepare('SELECT 9007199254740991 AS n').get() as { n: number }).n, Number.MAX_SAFE_INTEGER);
        assert.throws(() => vault.db.prepare('SELECT 9007199254740993 AS n').get(), /9007199254740993|too large|2\^53/);
        assert.equal((vault.db.prepare('SELECT CAST(9007199254740993 AS TEXT) AS n').get() as { n: string }).n, '9007199254740993');
        const blob = vault.db.prepare('SELECT :a || $b AS s, x\'00ff\' AS bytes').get({ a: 'x', b: 'y' }) as { s: string; bytes: Uint8Array };
        assert.equal(blob.s, 'xy');
        assert.deepEqual([...blob.bytes], [0, 255]);
        const inserted = vault.db.prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?)').run('a', 'b');
        assert.equal(Number(inserted.changes), 1);
        assert.equal(Number(inserted.lastInsertRowid) > 0, true);
        assert.equal(vault.db.isTransaction, false);
        vault.transaction(() => assert.equal(vault.db.isTransaction, true));
        assert.deepEqual([...vault.db.prepare('SELECT value FROM vault_meta WHERE key = ?').iterate('a')].map((r) => r.value), ['b']);
        // Text from Discord is untrusted: NUL bytes, lone surrogates, bidi overrides, huge strings round-trip
        // as node:sqlite stores them (a lone surrogate becomes U+FFFD on both engines).
        const hostile = ['a\u0000b', 'x\ud800y', '\u202egnp.exe', '🦊'.repeat(1000), 'ü'.repeat(300_000), "'); DROP TABLE vault_meta; --"];
        hostile.forEach((text, i) => vault.setMeta(`hostile${i}`, text));
        hostile.forEach((text, i) => assert.equal(vault.getMeta(`hostile${i}`), text.replace('\ud800', '\ufffd')));
        vault.db.exec("DELETE FROM vault_meta WHERE key LIKE 'hostile%'");
        // Two statements of the same SQL are independent, even while one is being walked.
        vault.setMeta('c', 'd');
        const sql = 'SELECT key FROM vault_meta ORDER BY key';
        const walked: unknown[] = [];
        for (const row of vault.db.prepare(sql).iterate()) {
          walked.push(row.key);
          assert.deepEqual(vault.db.prepare(sql).all().map((r) => r.key), ['a', 'c']);
        }
        assert.deepEqual(walked, ['a', 'c']);
      } finally {
        vault.close();
      }
    });
  }
});
