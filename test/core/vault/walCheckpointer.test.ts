import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BACKSTOP_PAGES, resolveEngine, startWalCheckpointer, Vault, type StorageEngine } from '../../../src/core/vault';
import { tempDir } from '../../support/tempDir';

/**
 * The background checkpointer on real vault files: a second connection in a
 * worker thread copies the log into vault.db, the writer's own checkpoints
 * wait behind a raised backstop, and nothing it does (or fails to do) loses a write.
 */
describe('background WAL checkpoints', () => {
  let native: StorageEngine;
  let wasm: StorageEngine;
  before(async () => {
    native = (await resolveEngine('native')).engine;
    wasm = (await resolveEngine('wasm')).engine;
  });

  const ROW_BYTES = 2000; // two rows a 4 KiB page
  /** `commits` transactions of `rows` rows each, from key number `from`; returns the next free number. */
  function fill(vault: Vault, from: number, commits: number, rows: number, afterCommit = () => {}): number {
    const insert = vault.db.prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?)');
    for (let c = 0; c < commits; c++) {
      vault.transaction(() => {
        for (let i = 0; i < rows; i++, from++) insert.run(`row ${String(from).padStart(7, '0')}`, `${from} `.padEnd(ROW_BYTES, 'ü'));
      });
      afterCommit();
    }
    return from;
  }
  const rowsIn = (vault: Vault) => Number((vault.db.prepare("SELECT count(*) AS n FROM vault_meta WHERE key LIKE 'row %'").get() as { n: number }).n);
  const autocheckpoint = (vault: Vault) => Number((vault.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint);
  const size = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const pageSize = (vault: Vault) => Number((vault.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
  const framesIn = (vault: Vault) => Math.floor(Math.max(0, size(`${vault.dbPath}-wal`) - 32) / (pageSize(vault) + 24));

  it('copies the log into vault.db on its own thread, where the writer would have done it in a commit', async () => {
    const vault = Vault.open(tempDir('gv-ckpt-'), { engine: native });
    try {
      const checkpoints = startWalCheckpointer(vault);
      assert.ok(checkpoints);
      assert.equal(autocheckpoint(vault), BACKSTOP_PAGES);
      const before = size(vault.dbPath);
      // About 1,500 pages: past SQLite's default autocheckpoint (1,000), below the backstop.
      fill(vault, 0, 10, 300);
      assert.ok(framesIn(vault) > 1000, `${framesIn(vault)} frames in the log`);
      assert.equal(size(vault.dbPath), before, 'the writer left the log alone');

      checkpoints.nudge();
      await checkpoints.stop(); // the thread finishes the checkpoint it was asked for, then ends
      assert.ok(size(vault.dbPath) >= before + 1400 * pageSize(vault), `vault.db grew from ${before} to ${size(vault.dbPath)} bytes`);
      // A reader that never saw the log finds every row in the file itself.
      const copy = path.join(tempDir('gv-ckpt-copy-'), 'copy.db');
      fs.copyFileSync(vault.dbPath, copy);
      const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
      const reader = new DatabaseSync(copy);
      assert.equal((reader.prepare("SELECT count(*) AS n FROM vault_meta WHERE key LIKE 'row %'").get() as { n: number }).n, 3000);
      reader.close();
    } finally {
      vault.close();
    }
  });

  it('keeps every write, through the checkpoints, after stop and after reopening', async () => {
    const dir = tempDir('gv-ckpt-');
    const vault = Vault.open(dir, { engine: native });
    let next = 0;
    try {
      const checkpoints = startWalCheckpointer(vault)!;
      // Commits race the thread's checkpoints: a nudge after each, most of them while one runs.
      next = fill(vault, next, 40, 150, () => checkpoints.nudge());
      await new Promise((resolve) => setTimeout(resolve, 20));
      next = fill(vault, next, 40, 150, () => checkpoints.nudge());
      await checkpoints.stop();
      assert.equal(rowsIn(vault), next);
      next = fill(vault, next, 2, 10); // and the writer goes on alone
    } finally {
      vault.close();
    }
    const reopened = Vault.open(dir, { engine: native, mode: 'read' });
    try {
      assert.equal(rowsIn(reopened), next);
      assert.equal((reopened.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      assert.equal(reopened.getMeta('row 0011999'), '11999 '.padEnd(ROW_BYTES, 'ü'));
    } finally {
      reopened.close();
    }
  });

  it('gives the writer its own checkpoints back on stop, which may come twice', async () => {
    const vault = Vault.open(tempDir('gv-ckpt-'), { engine: native });
    try {
      const original = autocheckpoint(vault);
      assert.equal(original, 1000);
      const checkpoints = startWalCheckpointer(vault)!;
      assert.equal(autocheckpoint(vault), BACKSTOP_PAGES);
      await Promise.all([checkpoints.stop(), checkpoints.stop()]);
      await checkpoints.stop();
      assert.equal(autocheckpoint(vault), original);
      checkpoints.nudge(); // a nudge after stop is ignored, not an error
      // The writer checkpoints by itself again: past 1,000 pages in the log, vault.db grows in the commit.
      const before = size(vault.dbPath);
      fill(vault, 0, 6, 300);
      assert.ok(size(vault.dbPath) > before);
    } finally {
      vault.close();
    }
  });

  it('ends with the vault: closing it without stop leaves no thread holding the file', async () => {
    const dir = tempDir('gv-ckpt-');
    const vault = Vault.open(dir, { engine: native });
    const checkpoints = startWalCheckpointer(vault)!;
    fill(vault, 0, 3, 100, () => checkpoints.nudge());
    vault.close();
    await checkpoints.stop();
    // The last connection to close removes the log: the thread's is closed too.
    assert.equal(fs.existsSync(`${vault.dbPath}-wal`), false);
    const reopened = Vault.open(dir, { engine: native });
    assert.equal(rowsIn(reopened), 300);
    reopened.close();
  });

  it('loses nothing when its thread cannot open the file: the writer checkpoints by itself and the job hears why', async () => {
    const dir = tempDir('gv-ckpt-');
    const moved = path.join(tempDir('gv-ckpt-moved-'), 'vault');
    const vault = Vault.open(dir, { engine: native });
    let next = 0;
    try {
      next = fill(vault, next, 1, 10);
      // The folder moves while the vault is open: the writer keeps its open files, the thread finds none (and creates none).
      fs.renameSync(dir, moved);
      let failed: (reason: string) => void;
      const failure = new Promise<string>((resolve) => (failed = resolve));
      const checkpoints = startWalCheckpointer(vault, { onFailure: (reason) => failed(reason) })!;
      next = fill(vault, next, 3, 100, () => checkpoints.nudge());
      const reason = await failure;
      assert.match(reason, /background WAL checkpoints stopped: unable to open database file/);
      assert.equal(autocheckpoint(vault), 1000);
      assert.equal(fs.existsSync(path.join(dir, 'vault.db')), false);
      const before = size(path.join(moved, 'vault.db'));
      next = fill(vault, next, 6, 300, () => checkpoints.nudge());
      assert.ok(size(path.join(moved, 'vault.db')) > before, 'the writer checkpointed in its commits');
      await checkpoints.stop();
      await checkpoints.stop();
      fs.renameSync(moved, dir);
    } finally {
      vault.close();
    }
    const reopened = Vault.open(dir, { engine: native, mode: 'read' });
    assert.equal(rowsIn(reopened), next);
    reopened.close();
  });

  it('is not started where there is no log to checkpoint: a vault opened to read, the WASM engine', () => {
    const dir = tempDir('gv-ckpt-');
    Vault.open(dir, { engine: native }).close();
    const reader = Vault.open(dir, { engine: native, mode: 'read' });
    assert.equal(startWalCheckpointer(reader), undefined);
    reader.close();
    const inMemory = Vault.open(dir, { engine: wasm });
    try {
      assert.equal(startWalCheckpointer(inMemory), undefined);
      fill(inMemory, 0, 1, 5);
    } finally {
      inMemory.close();
    }
    const back = Vault.open(dir, { engine: native, mode: 'read' });
    assert.equal(rowsIn(back), 5);
    back.close();
  });
});
