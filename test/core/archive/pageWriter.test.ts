import * as assert from 'node:assert/strict';
import { PageWriter } from '../../../src/core/archive/pageWriter';
import { tempVault } from './emulatorHarness';

describe('archive page writer', () => {
  it('commits pages written together, and a failing page takes nothing else with it', async () => {
    const vault = tempVault('gv-writer-');
    try {
      vault.db.exec('CREATE TABLE t (v INTEGER NOT NULL) STRICT');
      const writer = new PageWriter(vault);
      const insert = (v: number) => () => vault.db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
      const results = await Promise.allSettled([
        writer.write(insert(1)),
        writer.write(() => {
          insert(2)();
          throw new Error('bad page');
        }),
        writer.write(insert(3)),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual((vault.db.prepare('SELECT v FROM t ORDER BY v').all() as { v: number }[]).map((r) => r.v), [1, 3]);
      assert.equal(vault.db.isTransaction, false);
    } finally {
      vault.close();
    }
  });
});
