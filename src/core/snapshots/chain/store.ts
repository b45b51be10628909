import type { Vault } from '../../vault';
import { GuildVaultError } from '../../errors';
import { canonicalJson, nodeHash } from '../canonical';
import { inScopes, isPartial, isUnreadable, NODE_TYPES, SNAPSHOT_KINDS, type CaptureStatus, type SnapshotInfo, type SnapshotKind, type StructureState } from '../types';
import { patchWorthStoring } from './patch';
import { latestSnapshotRow, toInfo, versionHeadsAt, type SnapshotRow } from './rows';

export interface StoreSnapshotOptions {
  kind: SnapshotKind;
  label?: string;
  /** Defaults to now; tests and imports pass their own. */
  createdAt?: Date;
  /** false: store every change as a whole node, as vaults did before patches (benchmarks compare the two). */
  patches?: boolean;
}

/**
 * Appends `state` to the chain as a new snapshot, in one transaction. Only
 * what differs from the newest snapshot is written: new nodes, changed nodes
 * (by hash of their canonical JSON; as a field-level patch against the node's
 * full version when that is at most half its size) and tombstones for nodes
 * that are gone. An automatic snapshot identical to the newest one is not
 * stored: the newest one's checkedAt moves instead; a manual one is, labelled
 * "unchanged" unless it has a label.
 * A node type the capture could not read writes nothing, so its previous
 * nodes show through instead of reading as deleted.
 */
export function storeSnapshot(vault: Vault, state: StructureState, options: StoreSnapshotOptions): StoredSnapshot {
  if (!SNAPSHOT_KINDS.includes(options.kind)) {
    throw new GuildVaultError('INVALID_ARGUMENT', `Unknown snapshot kind "${options.kind}".`, `Use one of: ${SNAPSHOT_KINDS.join(', ')}.`);
  }
  const createdAt = (options.createdAt ?? new Date()).toISOString();
  return vault.transaction(() => {
    const previous = latestSnapshotRow(vault);
    const status = statusWithProvenance(state.status, previous);
    try {
      return vault.transaction(() => {
        const inserted = vault.db
          .prepare('INSERT INTO snapshots (kind, label, created_at, capture_status) VALUES (?, ?, ?, ?) RETURNING id')
          .get(options.kind, options.label?.trim() || null, createdAt, JSON.stringify(status)) as { id: number };
        const id = Number(inserted.id);
        const summary = writeChanges(vault, id, state, previous ? versionHeadsAt(vault, Number(previous.id)) : new Map(), options.patches !== false);
        const unchanged = previous !== undefined && summary.created + summary.changed + summary.deleted === 0 && previous.capture_status === JSON.stringify(status);
        if (unchanged && options.kind === 'automatic') throw new UnchangedSnapshot();
        const label = options.label?.trim() || (unchanged && options.kind === 'manual' ? 'unchanged' : null);
        vault.db
          .prepare('UPDATE snapshots SET created_count = ?, changed_count = ?, deleted_count = ?, label = ? WHERE id = ?')
          .run(summary.created, summary.changed, summary.deleted, label, id);
        return { ...toInfo(vault.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as unknown as SnapshotRow), stored: true };
      });
    } catch (error) {
      if (!(error instanceof UnchangedSnapshot)) throw error;
      // The savepoint is rolled back (the id is not used up); the newest snapshot was just confirmed.
      vault.db.prepare('UPDATE snapshots SET checked_at = ? WHERE id = ?').run(createdAt, previous!.id);
      return { ...toInfo(vault.db.prepare('SELECT * FROM snapshots WHERE id = ?').get(previous!.id) as unknown as SnapshotRow), stored: false };
    }
  });
}

/** What storeSnapshot did: `stored` false for an automatic snapshot identical to the newest one (whose checkedAt moved instead). */
export type StoredSnapshot = SnapshotInfo & { stored: boolean };

class UnchangedSnapshot extends Error {}

function writeChanges(
  vault: Vault,
  id: number,
  state: StructureState,
  heads: ReturnType<typeof versionHeadsAt>,
  patches: boolean,
): { created: number; changed: number; deleted: number } {
  const insertKey = vault.db.prepare('INSERT INTO snapshot_keys (type, node_id) VALUES (?, ?) RETURNING key_id');
  const insertNode = vault.db.prepare('INSERT INTO snapshot_nodes (key_id, snapshot_id, deleted, hash, data, base_snapshot_id) VALUES (?, ?, ?, ?, ?, ?)');
  const baseData = vault.db.prepare('SELECT data FROM snapshot_nodes WHERE key_id = ? AND snapshot_id = ?');
  const summary = { created: 0, changed: 0, deleted: 0 };
  for (const type of NODE_TYPES) {
    const status = state.status[type];
    if (status !== 'ok' && !isPartial(status)) continue; // unreadable or not attempted: keep what the chain had
    const before = heads.get(type) ?? new Map();
    const now = state.nodes.get(type) ?? new Map();
    for (const [nodeId, data] of now) {
      const json = canonicalJson(data);
      const hash = nodeHash(json);
      const head = before.get(nodeId);
      if (head && !head.deleted && head.hash && Buffer.from(head.hash).equals(hash)) continue;
      const keyId = head?.keyId ?? Number((insertKey.get(type, nodeId) as { key_id: number }).key_id);
      if (head && !head.deleted) {
        // A change: store only the fields that differ from the node's full version, when that pays.
        const base = head.baseSnapshotId ?? head.snapshotId;
        const baseRow = patches ? (baseData.get(keyId, base) as { data: string } | undefined) : undefined;
        const patch = baseRow ? patchWorthStoring(baseRow.data, json) : undefined;
        insertNode.run(keyId, id, 0, hash, patch ?? json, patch ? base : null);
        summary.changed++;
      } else {
        insertNode.run(keyId, id, 0, hash, json, null);
        summary.created++;
      }
    }
    for (const [nodeId, head] of before) {
      if (head.deleted || now.has(nodeId)) continue;
      if (isPartial(status) && inScopes(status, nodeId)) continue; // not read this time: not deleted
      insertNode.run(head.keyId, id, 1, null, null, null);
      summary.deleted++;
    }
  }
  return summary;
}

/**
 * For each type the capture could not read, note which snapshot's data shows
 * through: the previous snapshot if it read the type, else whatever it showed.
 */
function statusWithProvenance(status: CaptureStatus, previous: SnapshotRow | undefined): CaptureStatus {
  const before = previous ? (JSON.parse(previous.capture_status) as CaptureStatus) : {};
  const out: CaptureStatus = {};
  for (const type of NODE_TYPES) {
    const entry = status[type];
    if (entry === undefined) continue;
    if (!isUnreadable(entry)) {
      out[type] = isPartial(entry) ? { partial: entry.partial, scopes: [...entry.scopes].sort() } : 'ok';
      continue;
    }
    const prior = before[type];
    if (previous && prior === 'ok') out[type] = { unreadable: entry.unreadable, asOfId: Number(previous.id), asOfDate: previous.created_at };
    else if (isUnreadable(prior) && prior.asOfId !== undefined) out[type] = { unreadable: entry.unreadable, asOfId: prior.asOfId, asOfDate: prior.asOfDate };
    else out[type] = { unreadable: entry.unreadable };
  }
  return out;
}
