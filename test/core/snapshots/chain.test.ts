import * as assert from 'node:assert/strict';
import { isGuildVaultError } from '../../../src/core/errors';
import {
  deleteSnapshot,
  listSnapshots,
  loadState,
  pruneSnapshots,
  setLabel,
  setPinned,
  storeSnapshot,
  verifyChain,
} from '../../../src/core/snapshots/chain';
import type { NodeData, NodeType, StructureState } from '../../../src/core/snapshots/types';
import { makeState, plainNodes, random, rowCount, tempVault } from './helpers';

const role = (name: string, color = 0, position = 1): NodeData => ({ id: name, name, color, position, permissions: '0' });

/**
 * A chain of states where each step creates, edits and deletes a few nodes of several types.
 * Nodes are wide, like Discord's: an edit of one field is stored as a patch, a rewrite of most
 * fields as a full version, so merges and prunes meet both, in any order.
 */
function evolvingStates(count: number, seed: number): StructureState[] {
  const next = random(seed);
  const current: Record<string, Record<string, NodeData>> = { role: {}, channel: {}, ban: {} };
  let serial = 0;
  const states: StructureState[] = [];
  const wide = (name: string, salt: number): NodeData => {
    const node: NodeData = { name, v: 0 };
    for (let f = 0; f < 12; f++) node[`field_${f}`] = `value ${f} of ${name} (${salt})`;
    return node;
  };
  for (let step = 0; step < count; step++) {
    for (const type of Object.keys(current)) {
      const ids = Object.keys(current[type]);
      const creates = step === 0 ? 6 : Math.floor(next() * 3);
      for (let i = 0; i < creates; i++) current[type][`${type}${++serial}`] = wide(`n${serial}`, 0);
      for (const id of ids) {
        const roll = next();
        if (roll < 0.15) delete current[type][id];
        else if (roll < 0.3) current[type][id] = { ...current[type][id], v: Math.floor(next() * 1000) };
        else if (roll < 0.35) current[type][id] = wide(String(current[type][id].name), Math.floor(next() * 1000)); // most fields rewritten
        else if (roll < 0.4) {
          const { field_3: _dropped, ...rest } = current[type][id];
          current[type][id] = { ...rest, extra: [1, { nested: step }] }; // a field gone, one added
        }
      }
    }
    states.push(makeState(structuredClone(current) as Partial<Record<NodeType, Record<string, NodeData>>>));
  }
  return states;
}

describe('snapshot chain', () => {
  it('stores every node first, then only created, changed and deleted ones', () => {
    const vault = tempVault();
    try {
      const first = storeSnapshot(vault, makeState({ role: { a: role('a'), b: role('b'), c: role('c') } }), { kind: 'manual' });
      assert.deepEqual(first.summary, { created: 3, changed: 0, deleted: 0 });
      assert.equal(rowCount(vault, first.id), 3);

      const unchangedAuto = storeSnapshot(vault, makeState({ role: { a: role('a'), b: role('b'), c: role('c') } }), { kind: 'automatic', createdAt: new Date(Date.now() + 60_000) });
      assert.equal(unchangedAuto.stored, false, 'an unchanged automatic snapshot is not stored');
      assert.equal(unchangedAuto.id, first.id);
      assert.ok(unchangedAuto.checkedAt > first.createdAt, 'the newest snapshot was checked again');
      assert.equal(listSnapshots(vault).length, 1);
      const same = storeSnapshot(vault, makeState({ role: { a: role('a'), b: role('b'), c: role('c') } }), { kind: 'manual' });
      assert.equal(same.id, first.id + 1, 'the skipped automatic snapshot used no id');
      assert.equal(same.label, 'unchanged');
      assert.equal(rowCount(vault, same.id), 0, 'an unchanged server stores no node');
      assert.deepEqual(same.summary, { created: 0, changed: 0, deleted: 0 });

      const changed = storeSnapshot(vault, makeState({ role: { a: role('a', 0xff0000), c: role('c'), d: role('d') } }), { kind: 'manual', label: ' cleanup ' });
      assert.deepEqual(changed.summary, { created: 1, changed: 1, deleted: 1 });
      assert.equal(changed.label, 'cleanup');
      const stored = vault.db
        .prepare('SELECT k.node_id, n.deleted FROM snapshot_nodes n JOIN snapshot_keys k USING (key_id) WHERE n.snapshot_id = ? ORDER BY k.node_id')
        .all(changed.id)
        .map((row: any) => `${row.node_id}:${row.deleted}`);
      assert.deepEqual(stored, ['a:0', 'b:1', 'd:0']);

      assert.deepEqual([...loadState(vault, first.id).nodes.get('role')!.keys()], ['a', 'b', 'c']);
      assert.deepEqual([...loadState(vault, changed.id).nodes.get('role')!.keys()], ['a', 'c', 'd']);
      assert.equal(loadState(vault, changed.id).nodes.get('role')!.get('a')!.color, 0xff0000);
      assert.deepEqual(listSnapshots(vault).map((s) => s.id), [changed.id, same.id, first.id]);
    } finally {
      vault.close();
    }
  });

  it('treats key order as irrelevant: canonical JSON', () => {
    const vault = tempVault();
    try {
      storeSnapshot(vault, makeState({ role: { a: { name: 'a', color: 1, tags: { bot_id: '1', x: null } } } }), { kind: 'manual' });
      const again = storeSnapshot(vault, makeState({ role: { a: { tags: { x: null, bot_id: '1' }, color: 1, name: 'a' } } }), { kind: 'manual' });
      assert.equal(rowCount(vault, again.id), 0);
    } finally {
      vault.close();
    }
  });

  it('rebuilds every snapshot of a chain exactly as it was stored', () => {
    const vault = tempVault();
    try {
      const states = evolvingStates(12, 7);
      const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'automatic' }).id);
      ids.forEach((id, i) => assert.deepEqual(plainNodes(loadState(vault, id)), plainNodes(states[i]), `snapshot ${i + 1}`));
    } finally {
      vault.close();
    }
  });

  for (const [which, pick] of [
    ['first', (ids: number[]) => ids[0]],
    ['a middle', (ids: number[]) => ids[5]],
    ['the last', (ids: number[]) => ids[ids.length - 1]],
  ] as const) {
    it(`deletes ${which} snapshot by merging forward: every other snapshot rebuilds unchanged`, () => {
      const vault = tempVault();
      try {
        const states = evolvingStates(10, 42);
        const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'manual' }).id);
        const doomed = pick(ids);
        deleteSnapshot(vault, doomed);
        assert.ok(!listSnapshots(vault).some((s) => s.id === doomed));
        ids.forEach((id, i) => {
          if (id !== doomed) assert.deepEqual(plainNodes(loadState(vault, id)), plainNodes(states[i]), `snapshot ${id}`);
        });
        // The summary of the snapshot after the deleted one now counts from the one before it.
        const after = ids[ids.indexOf(doomed) + 1];
        if (after !== undefined) {
          const before = ids[ids.indexOf(doomed) - 1];
          const expected = diffCount(before === undefined ? undefined : states[ids.indexOf(before)], states[ids.indexOf(after)]);
          assert.deepEqual(listSnapshots(vault).find((s) => s.id === after)!.summary, expected);
          assert.equal(rowCount(vault, after), expected.created + expected.changed + expected.deleted, 'no no-op versions left behind');
        }
      } finally {
        vault.close();
      }
    });
  }

  it('deletes snapshots one by one down to none, keeping the rest intact, and frees every row', () => {
    const vault = tempVault();
    try {
      const states = evolvingStates(8, 3);
      const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'manual' }).id);
      const order = [3, 0, 7, 5, 1, 2, 6, 4].map((i) => ids[i]);
      const alive = new Set(ids);
      for (const id of order) {
        deleteSnapshot(vault, id);
        alive.delete(id);
        for (const other of alive) assert.deepEqual(plainNodes(loadState(vault, other)), plainNodes(states[ids.indexOf(other)]));
      }
      assert.equal(rowCount(vault), 0);
      assert.equal((vault.db.prepare('SELECT count(*) AS n FROM snapshot_keys').get() as any).n, 0);
    } finally {
      vault.close();
    }
  });

  it('never reads an unreadable node type as deleted, and says whose data shows through', () => {
    const vault = tempVault();
    try {
      const bans = { '501': { reason: 'spam', user: { id: '501', username: 'spammer' } } };
      const first = storeSnapshot(vault, makeState({ role: { a: role('a') }, ban: bans }), { kind: 'manual' });
      const blind = storeSnapshot(vault, makeState({ role: { a: role('a') } }, { ban: { unreadable: 'missing BAN_MEMBERS permission' } }), { kind: 'manual' });
      assert.equal(rowCount(vault, blind.id), 0);
      assert.deepEqual(blind.captureStatus.ban, { unreadable: 'missing BAN_MEMBERS permission', asOfId: first.id, asOfDate: first.createdAt });
      assert.deepEqual([...loadState(vault, blind.id).nodes.get('ban')!.keys()], ['501']);
      const stillBlind = storeSnapshot(vault, makeState({ role: { a: role('a') } }, { ban: { unreadable: 'missing BAN_MEMBERS permission' } }), { kind: 'manual' });
      assert.equal((stillBlind.captureStatus.ban as any).asOfId, first.id);
      // Reading again works from the last known bans: an unban since shows as one deletion.
      const seeing = storeSnapshot(vault, makeState({ role: { a: role('a') } }), { kind: 'manual' });
      assert.deepEqual(seeing.summary, { created: 0, changed: 0, deleted: 1 });
    } finally {
      vault.close();
    }
  });

  it('keeps the nodes a partial capture could not reach, and updates the rest', () => {
    const vault = tempVault();
    try {
      const thread = (name: string) => ({ name });
      const first = storeSnapshot(vault, makeState({ thread: { 'c1/public/t1': thread('a'), 'c2/public/t2': thread('b'), 'c2/private/t3': thread('c') } }), { kind: 'manual' });
      // Channel c2's private threads were not readable: t3 is missing from the capture but not deleted; t1 was.
      const partial = { partial: 'private archived threads of #c2 need MANAGE_THREADS', scopes: ['c2/private/'] };
      const second = storeSnapshot(vault, makeState({ thread: { 'c2/public/t2': thread('b2') } }, { thread: partial }), { kind: 'manual' });
      assert.deepEqual(second.summary, { created: 0, changed: 1, deleted: 1 });
      assert.deepEqual(second.captureStatus.thread, partial);
      assert.deepEqual([...loadState(vault, second.id).nodes.get('thread')!.keys()].sort(), ['c2/private/t3', 'c2/public/t2']);
      assert.equal(first.summary.created, 3);
    } finally {
      vault.close();
    }
  });

  it('verifies a chain after stores and merges, and finds a tampered node', () => {
    const vault = tempVault();
    try {
      const ids = evolvingStates(6, 9).map((state) => storeSnapshot(vault, state, { kind: 'manual' }).id);
      deleteSnapshot(vault, ids[0]);
      deleteSnapshot(vault, ids[3]);
      const clean = verifyChain(vault);
      assert.deepEqual({ corrupt: clean.corrupt, wrong: clean.wrongSummaries, unused: clean.unusedKeys }, { corrupt: [], wrong: [], unused: 0 });
      assert.equal(clean.snapshots, 4);
      vault.db.exec(`UPDATE snapshot_nodes SET data = '{"name":"tampered"}' WHERE rowid = (SELECT min(rowid) FROM snapshot_nodes WHERE deleted = 0)`);
      vault.db.exec(`UPDATE snapshots SET created_count = created_count + 1 WHERE id = ${ids[5]}`);
      const bad = verifyChain(vault);
      assert.equal(bad.corrupt.length, 1);
      assert.equal(bad.corrupt[0].problem, 'data does not match its hash');
      assert.deepEqual(bad.wrongSummaries, [ids[5]]);
    } finally {
      vault.close();
    }
  });

  it('prunes the oldest beyond the retention, never a pinned one, in one go', () => {
    const vault = tempVault();
    try {
      const states = evolvingStates(9, 11);
      const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'automatic' }).id);
      setPinned(vault, ids[1], true);
      const removed = pruneSnapshots(vault, 4);
      assert.deepEqual(removed.map((s) => s.id), [ids[0], ids[2], ids[3], ids[4]]);
      const left = listSnapshots(vault).map((s) => s.id);
      assert.deepEqual(left, [ids[8], ids[7], ids[6], ids[5], ids[1]]);
      for (const id of left) assert.deepEqual(plainNodes(loadState(vault, id)), plainNodes(states[ids.indexOf(id)]));
      assert.deepEqual(pruneSnapshots(vault, 4), []);
    } finally {
      vault.close();
    }
  });

  it('prunes runs of snapshots between random pins without changing any survivor', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const vault = tempVault();
      try {
        const next = random(seed * 97);
        const states = evolvingStates(16, seed);
        const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'automatic' }).id);
        for (const id of ids) if (next() < 0.25) setPinned(vault, id, true);
        const keep = 1 + Math.floor(next() * 5);
        pruneSnapshots(vault, keep);
        const left = listSnapshots(vault);
        assert.ok(left.filter((s) => !s.pinned).length <= keep);
        for (const snapshot of left) assert.deepEqual(plainNodes(loadState(vault, snapshot.id)), plainNodes(states[ids.indexOf(snapshot.id)]), `seed ${seed}, #${snapshot.id}`);
        const report = verifyChain(vault);
        assert.deepEqual([report.corrupt.length, report.wrongSummaries, report.unusedKeys], [0, [], 0]);
      } finally {
        vault.close();
      }
    }
  });

  it('stores a one-field change as a patch against the full version, rebuilt whole, and verifiable', () => {
    const vault = tempVault();
    try {
      const states = evolvingStates(30, 11);
      const ids = states.map((state) => storeSnapshot(vault, state, { kind: 'manual' }).id);
      const kinds = vault.db.prepare('SELECT count(*) AS n, sum(base_snapshot_id IS NOT NULL) AS patches FROM snapshot_nodes WHERE deleted = 0 AND snapshot_id > ?').get(ids[0]) as { n: number; patches: number };
      assert.ok(kinds.patches > 10 && kinds.patches < kinds.n, `both patches and full versions after the first snapshot (${kinds.patches} of ${kinds.n})`);
      const sizes = vault.db
        .prepare('SELECT max(length(n.data)) AS patch, min(length(b.data)) AS full FROM snapshot_nodes n JOIN snapshot_nodes b ON b.key_id = n.key_id AND b.snapshot_id = n.base_snapshot_id')
        .get() as { patch: number; full: number };
      assert.ok(sizes.patch * 2 <= sizes.full + 40, `a patch is at most about half a node (${sizes.patch} vs ${sizes.full} bytes)`);
      const chained = vault.db.prepare('SELECT count(*) AS n FROM snapshot_nodes n JOIN snapshot_nodes b ON b.key_id = n.key_id AND b.snapshot_id = n.base_snapshot_id WHERE b.base_snapshot_id IS NOT NULL OR b.deleted = 1').get() as { n: number };
      assert.equal(chained.n, 0, 'every patch is against a full version');
      ids.forEach((id, i) => assert.deepEqual(plainNodes(loadState(vault, id)), plainNodes(states[i]), `snapshot ${id}`));
      assert.deepEqual(verifyChain(vault).corrupt, []);
      // A patch whose base was tampered with is found by verify.
      vault.db.prepare("UPDATE snapshot_nodes SET data = replace(data, 'value 1 of', 'VALUE 1 of') WHERE base_snapshot_id IS NULL AND (key_id, snapshot_id) IN (SELECT key_id, base_snapshot_id FROM snapshot_nodes WHERE base_snapshot_id IS NOT NULL LIMIT 1)").run();
      assert.ok(verifyChain(vault).corrupt.some((c) => c.problem === 'data does not match its hash'));
    } finally {
      vault.close();
    }
  });

  it('pins, labels, and refuses to delete a pinned snapshot or an unknown one', () => {
    const vault = tempVault();
    try {
      const s = storeSnapshot(vault, makeState({ role: { a: role('a') } }), { kind: 'pre-restore' });
      assert.equal(setPinned(vault, s.id, true).pinned, true);
      assert.equal(setLabel(vault, s.id, 'before raid').label, 'before raid');
      assert.equal(setLabel(vault, s.id, '  ').label, null);
      assert.throws(() => deleteSnapshot(vault, s.id), (e: unknown) => isGuildVaultError(e, 'INVALID_ARGUMENT') && /pinned/.test(e.message));
      assert.throws(() => deleteSnapshot(vault, 999), (e: unknown) => isGuildVaultError(e, 'NOT_FOUND'));
      assert.throws(() => storeSnapshot(vault, makeState({}), { kind: 'weekly' as any }), (e: unknown) => isGuildVaultError(e, 'INVALID_ARGUMENT'));
      setPinned(vault, s.id, false);
      deleteSnapshot(vault, s.id);
      assert.deepEqual(listSnapshots(vault), []);
      // Ids are never reused: "#1" keeps meaning the deleted snapshot.
      assert.equal(storeSnapshot(vault, makeState({}), { kind: 'manual' }).id, s.id + 1);
    } finally {
      vault.close();
    }
  });
});

function diffCount(before: StructureState | undefined, after: StructureState): { created: number; changed: number; deleted: number } {
  const a = before ? plainNodes(before) : {};
  const b = plainNodes(after);
  const out = { created: 0, changed: 0, deleted: 0 };
  for (const type of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[type] ?? {};
    const y = b[type] ?? {};
    for (const id of Object.keys(y)) {
      if (!(id in x)) out.created++;
      else if (x[id] !== y[id]) out.changed++;
    }
    for (const id of Object.keys(x)) if (!(id in y)) out.deleted++;
  }
  return out;
}
