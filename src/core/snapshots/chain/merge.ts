import type { Vault } from '../../vault';
import { GuildVaultError } from '../../errors';
import type { SnapshotInfo } from '../types';
import { countChanges, requireSnapshotRow } from './rows';
import { listSnapshots } from './catalog';

/**
 * Deletes snapshot `id` (any of them, the first included) so that every other
 * snapshot rebuilds exactly as before, in one transaction:
 * 1. its versions of nodes the next snapshot also wrote are superseded: dropped;
 * 2. its other versions move forward into the next snapshot, which now carries
 *    the change from the snapshot before `id`;
 * 3. versions of the next snapshot that became no-ops are dropped (a tombstone
 *    with nothing alive before it, a version equal to the one before it), its
 *    change summary is recounted, and keys no version uses any more are freed.
 * The newest snapshot has no successor: its versions simply go. A pinned
 * snapshot is refused unless `allowPinned`.
 */
export function deleteSnapshot(vault: Vault, id: number, options: { allowPinned?: boolean } = {}): void {
  vault.transaction(() => {
    const row = requireSnapshotRow(vault, id);
    if (Number(row.pinned) === 1 && !options.allowPinned) {
      throw new GuildVaultError('INVALID_ARGUMENT', `Snapshot #${id} is pinned.`, 'Unpin it first.');
    }
    const next = vault.db.prepare('SELECT min(id) AS id FROM snapshots WHERE id > ?').get(id) as { id: number | null };
    if (next.id === null) {
      vault.db.prepare('DELETE FROM snapshot_nodes WHERE snapshot_id = ?').run(id);
    } else {
      mergeInto(vault, id, Number(next.id));
    }
    vault.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id);
    vault.db.prepare('DELETE FROM snapshot_keys WHERE NOT EXISTS (SELECT 1 FROM snapshot_nodes n WHERE n.key_id = snapshot_keys.key_id)').run();
  });
}

function mergeInto(vault: Vault, id: number, next: number): void {
  const db = vault.db;
  db.prepare(
    `DELETE FROM snapshot_nodes
      WHERE snapshot_id = ?
        AND key_id IN (SELECT key_id FROM snapshot_nodes WHERE snapshot_id = ?)`,
  ).run(id, next);
  db.prepare('UPDATE snapshot_nodes SET snapshot_id = ? WHERE snapshot_id = ?').run(next, id);
  // Now that `id` is gone, compare `next` with the newest version before it.
  db.prepare(
    `DELETE FROM snapshot_nodes
      WHERE snapshot_id = :next
        AND CASE WHEN deleted = 1
              THEN coalesce((SELECT p.deleted FROM snapshot_nodes p
                              WHERE p.key_id = snapshot_nodes.key_id AND p.snapshot_id < :next
                              ORDER BY p.snapshot_id DESC LIMIT 1), 1) = 1
              ELSE (SELECT p.deleted = 0 AND p.hash = snapshot_nodes.hash FROM snapshot_nodes p
                     WHERE p.key_id = snapshot_nodes.key_id AND p.snapshot_id < :next
                     ORDER BY p.snapshot_id DESC LIMIT 1) IS 1
            END`,
  ).run({ next });
  const summary = countChanges(vault, next);
  db.prepare('UPDATE snapshots SET created_count = ?, changed_count = ?, deleted_count = ? WHERE id = ?').run(summary.created, summary.changed, summary.deleted, next);
}

/**
 * Keeps the newest `keep` snapshots and every pinned one; deletes (merges
 * forward) the rest, oldest first, in one transaction. Returns what it removed.
 */
export function pruneSnapshots(vault: Vault, keep: number): SnapshotInfo[] {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new GuildVaultError('INVALID_ARGUMENT', `Cannot keep ${keep} snapshots.`, 'Keep at least 1 (setting "guildVault.snapshots.retention").');
  }
  return vault.transaction(() => {
    const doomed = listSnapshots(vault)
      .slice(keep)
      .filter((snapshot) => !snapshot.pinned)
      .reverse();
    for (const snapshot of doomed) deleteSnapshot(vault, snapshot.id);
    return doomed;
  });
}
