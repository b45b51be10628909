import * as assert from 'node:assert/strict';
import { MessageIngest } from '../../../src/core/archive';
import { PageWriter, type BatchSink } from '../../../src/core/archive/pageWriter';
import { MediaPool } from '../../../src/core/media';
import { searchMessages } from '../../../src/core/search';
import { apiMessage } from './messageFixtures';
import { tempVault } from './emulatorHarness';

const CHANNEL = '200000000000000001';
const T0 = Date.UTC(2024, 2, 10);

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

  it('hands what pages defer to their sink once per commit, in page order, without the pages that failed', async () => {
    const vault = tempVault('gv-writer-');
    try {
      vault.db.exec('CREATE TABLE t (v INTEGER NOT NULL) STRICT');
      const calls: number[][] = [];
      const sink: BatchSink<number> = {
        write: (items) => {
          assert.equal(vault.db.isTransaction, true, 'inside the commit');
          calls.push(items);
          for (const v of items) vault.db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
        },
      };
      const undone: string[] = [];
      const writer = new PageWriter(vault);
      const results = await Promise.allSettled([
        writer.write((scope) => scope.defer(sink, [3, 1])),
        writer.write((scope) => {
          scope.defer(sink, [99]);
          scope.onRollback(() => undone.push('bad page'));
          throw new Error('bad page');
        }),
        writer.write((scope) => {
          scope.defer(sink, [2]);
          scope.onRollback(() => undone.push('good page'));
        }),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(calls, [[3, 1, 2]]);
      assert.deepEqual(undone, ['bad page']);
      assert.deepEqual((vault.db.prepare('SELECT v FROM t ORDER BY v').all() as { v: number }[]).map((r) => r.v), [1, 2, 3]);
    } finally {
      vault.close();
    }
  });

  it('a sink that fails takes the whole commit back, rejects every page and undoes each one', async () => {
    const vault = tempVault('gv-writer-');
    try {
      vault.db.exec('CREATE TABLE t (v INTEGER NOT NULL) STRICT');
      const undone: number[] = [];
      const sink: BatchSink<number> = {
        write: () => {
          throw new Error('disk full');
        },
      };
      const writer = new PageWriter(vault);
      const page = (v: number) => writer.write((scope) => {
        vault.db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
        scope.defer(sink, [v]);
        scope.onRollback(() => undone.push(v));
      });
      const results = await Promise.allSettled([page(1), page(2)]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      assert.deepEqual(undone, [1, 2]);
      assert.equal((vault.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 0);
      assert.equal(vault.db.isTransaction, false);
    } finally {
      vault.close();
    }
  });

  it('indexes every page of a commit for search, and a rolled-back page leaves its author to be written again', async () => {
    const vault = tempVault('gv-writer-');
    try {
      const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
      const writer = new PageWriter(vault);
      const carol = { id: '300000000000000009', username: 'carol', global_name: 'Carol', avatar: null };
      const results = await Promise.allSettled([
        writer.write((scope) => ingest.writePage(CHANNEL, [apiMessage(CHANNEL, T0, 1, { content: 'apple pie' })], scope)),
        writer.write((scope) => {
          ingest.writePage(CHANNEL, [apiMessage(CHANNEL, T0, 2, { content: 'lost words', author: carol })], scope);
          throw new Error('the cursor could not be saved');
        }),
        writer.write((scope) => ingest.writePage(CHANNEL, [apiMessage(CHANNEL, T0, 3, { content: 'apple crumble' })], scope)),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      const found = (text: string) => searchMessages(vault, text).hits.map((hit) => hit.snippet).sort();
      assert.deepEqual(found('apple'), ['apple crumble', 'apple pie']);
      assert.deepEqual(found('lost'), [], 'the failed page left nothing in the index');
      assert.equal(vault.db.prepare('SELECT 1 FROM users WHERE id = ?').get(carol.id), undefined);
      // The same author again, in a page that goes in: her row must be written this time.
      await writer.write((scope) => ingest.writePage(CHANNEL, [apiMessage(CHANNEL, T0, 4, { content: 'found words', author: carol })], scope));
      assert.equal((vault.db.prepare('SELECT username FROM users WHERE id = ?').get(carol.id) as { username: string } | undefined)?.username, 'carol');
      assert.deepEqual(found('words'), ['found words']);
    } finally {
      vault.close();
    }
  });
});
