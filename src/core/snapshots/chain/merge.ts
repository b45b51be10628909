import type { Vault } from '../../vault';
import { GuildVaultError } from '../../errors';
import type { SnapshotInfo } from '../types';
import { canonicalJson } from '../canonical';
import { materialize } from './patch';
import { countChanges, requireSnapshotRow } from './rows';
import { listSnapshots } from './catalog';
import { plural } from '../../text';

/**
 * Deletes snapshot `id` (any of them, the first included) so that every other
 * snapshot rebuilds exactly as before, in one transaction. A pinned snapshot
 * is refused unless `allowPinned`.
 */
export function deleteSnapshot(vault: Vault, id: number, options: { allowPinned?: boolean } = {}): void {
  vault.transaction(() => {
    const row = requireSnapshotRow(vault, id);
    if (Number(row.pinned) === 1 && !options.allowPinned) {
      throw new GuildVaultError('INVALID_ARGUMENT', `Snapshot #${id} is pinned.`, 'Unpin it first.');
    }
    mergeRunForward(vault, id, id);
    freeUnusedKeys(vault);
  });
}

/**
 * Keeps the newest `keep` snapshots and every pinned one; deletes (merges
 * forward) the rest in one transaction. Consecutive doomed snapshots are
 * merged as one run, so pruning hundreds costs about as much as one delete.
 * Returns what it removed, oldest first.
 */
export function pruneSnapshots(vault: Vault, keep: number): SnapshotInfo[] {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new GuildVaultError('INVALID_ARGUMENT', `Cannot keep ${plural(keep, 'snapshot')}.`, 'Keep at least 1 (setting "guildVault.snapshots.retention").');
  }
  return vault.transaction(() => {
    const all = listSnapshots(vault).reverse(); // oldest first
    const kept = new Set([...all.slice(Math.max(0, all.length - keep)), ...all.filter((s) => s.pinned)].map((s) => s.id));
    const doomed = all.filter((s) => !kept.has(s.id));
    // Runs of consecutive doomed snapshots (pinned ones split them).
    let runStart: number | undefined;
    let runEnd: number | undefined;
    for (const snapshot of all) {
      if (!kept.has(snapshot.id)) {
        runStart ??= snapshot.id;
        runEnd = snapshot.id;
        continue;
      }
      if (runStart !== undefined) mergeRunForward(vault, runStart, runEnd!);
      runStart = runEnd = undefined;
    }
    if (runStart !== undefined) mergeRunForward(vault, runStart, runEnd!);
    if (doomed.length) freeUnusedKeys(vault);
    return doomed;
  });
}

/**
 * Removes the snapshots with ids in [first, last] (no surviving snapshot lies
 * between them) and folds their versions into the next surviving snapshot:
 * 1. a version superseded by a later one in the run or in the next snapshot is dropped;
 * 2. the rest (the newest per node) move into the next snapshot, which now
 *    carries the whole change from the snapshot before the run;
 * 3. versions of the next snapshot that became no-ops are dropped (a tombstone
 *    with nothing alive before it, a version equal to the one before it), and
 *    its change summary is recounted.
 * With no snapshot after the run (the newest were deleted), its versions simply go.
 */
function mergeRunForward(vault: Vault, first: number, last: number): void {
  const db = vault.db;
  const next = (db.prepare('SELECT min(id) AS id FROM snapshots WHERE id > ?').get(last) as { id: number | null }).id;
  if (next === null) {
    // Nothing after the run: no version outside it can patch against one inside it.
    db.prepare('DELETE FROM snapshot_nodes WHERE snapshot_id BETWEEN ? AND ?').run(first, last);
  } else {
    const superseded = `snapshot_id BETWEEN :first AND :last
          AND EXISTS (SELECT 1 FROM snapshot_nodes later
                       WHERE later.key_id = snapshot_nodes.key_id
                         AND later.snapshot_id > snapshot_nodes.snapshot_id
                         AND later.snapshot_id <= :next)`;
    const doomed = db.prepare(`SELECT key_id, snapshot_id FROM snapshot_nodes WHERE ${superseded} AND base_snapshot_id IS NULL AND deleted = 0`).all({ first, last, next }) as unknown as VersionRef[];
    materializeDependents(vault, doomed, { first, last, next: Number(next) });
    db.prepare(`DELETE FROM snapshot_nodes WHERE ${superseded}`).run({ first, last, next });
    db.prepare('UPDATE snapshot_nodes SET snapshot_id = :next WHERE snapshot_id BETWEEN :first AND :last').run({ first, last, next });
    // Patches against a version that moved follow it.
    db.prepare('UPDATE snapshot_nodes SET base_snapshot_id = :next WHERE base_snapshot_id BETWEEN :first AND :last').run({ first, last, next });
    dropNoOps(vault, Number(next));
    const summary = countChanges(vault, Number(next));
    db.prepare('UPDATE snapshots SET created_count = ?, changed_count = ?, deleted_count = ? WHERE id = ?').run(summary.created, summary.changed, summary.deleted, next);
  }
  db.prepare('DELETE FROM snapshots WHERE id BETWEEN ? AND ?').run(first, last);
}

interface VersionRef {
  key_id: number;
  snapshot_id: number;
}

/**
 * Before full versions are deleted, the patches made against them become full versions
 * themselves (patches that are going too are left alone): every surviving version still
 * rebuilds to the same node.
 */
function materializeDependents(vault: Vault, bases: VersionRef[], goingToo?: { first: number; last: number; next: number }): void {
  if (bases.length === 0) return;
  const dependents = vault.db.prepare(
    `SELECT p.snapshot_id, p.data, b.data AS base_data
       FROM snapshot_nodes p JOIN snapshot_nodes b ON b.key_id = p.key_id AND b.snapshot_id = p.base_snapshot_id
      WHERE p.key_id = ? AND p.base_snapshot_id = ?`,
  );
  const isGoing = vault.db.prepare('SELECT 1 FROM snapshot_nodes WHERE key_id = ? AND snapshot_id > ? AND snapshot_id <= ? LIMIT 1');
  const rewrite = vault.db.prepare('UPDATE snapshot_nodes SET data = ?, base_snapshot_id = NULL WHERE key_id = ? AND snapshot_id = ?');
  for (const base of bases) {
    for (const patch of dependents.all(base.key_id, base.snapshot_id) as { snapshot_id: number; data: string; base_data: string }[]) {
      const patchAt = Number(patch.snapshot_id);
      if (goingToo && patchAt >= goingToo.first && patchAt <= goingToo.last && isGoing.get(base.key_id, patchAt, goingToo.next)) continue;
      rewrite.run(canonicalJson(materialize(patch.data, patch.base_data, true)), base.key_id, patchAt);
    }
  }
}

/** Compares `snapshot` with the newest version before it, now that the run before it is gone. */
function dropNoOps(vault: Vault, snapshot: number): void {
  const noOps = vault.db
    .prepare(
      `SELECT key_id, snapshot_id, base_snapshot_id IS NULL AND deleted = 0 AS full FROM snapshot_nodes
        WHERE snapshot_id = :snapshot
          AND CASE WHEN deleted = 1
                THEN coalesce((SELECT p.deleted FROM snapshot_nodes p
                                WHERE p.key_id = snapshot_nodes.key_id AND p.snapshot_id < :snapshot
                                ORDER BY p.snapshot_id DESC LIMIT 1), 1) = 1
                ELSE (SELECT p.deleted = 0 AND p.hash = snapshot_nodes.hash FROM snapshot_nodes p
                       WHERE p.key_id = snapshot_nodes.key_id AND p.snapshot_id < :snapshot
                       ORDER BY p.snapshot_id DESC LIMIT 1) IS 1
              END`,
    )
    .all({ snapshot }) as unknown as (VersionRef & { full: number })[];
  materializeDependents(vault, noOps.filter((row) => Number(row.full) === 1));
  const remove = vault.db.prepare('DELETE FROM snapshot_nodes WHERE key_id = ? AND snapshot_id = ?');
  for (const row of noOps) remove.run(row.key_id, row.snapshot_id);
}

function freeUnusedKeys(vault: Vault): void {
  vault.db.prepare('DELETE FROM snapshot_keys WHERE NOT EXISTS (SELECT 1 FROM snapshot_nodes n WHERE n.key_id = snapshot_keys.key_id)').run();
}
