import type { Vault } from '../../vault';
import { canonicalJson, nodeHash } from '../canonical';
import { materialize } from './patch';
import { countChanges } from './rows';

export interface ChainReport {
  snapshots: number;
  keys: number;
  versions: number;
  /** Versions whose data no longer matches their hash, or is not JSON. */
  corrupt: { snapshotId: number; type: string; nodeId: string; problem: string }[];
  /** Snapshots whose stored change summary disagrees with their versions. */
  wrongSummaries: number[];
  /** Keys no version uses (harmless, but a sign of an interrupted merge). */
  unusedKeys: number;
}

/**
 * Checks the chain without changing it: every version's data is valid JSON in
 * canonical form with the hash it was stored under, and every snapshot's
 * change summary matches what it stores. Read-only.
 */
export function verifyChain(vault: Vault): ChainReport {
  const db = vault.db;
  const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
  const report: ChainReport = {
    snapshots: count('SELECT count(*) AS n FROM snapshots'),
    keys: count('SELECT count(*) AS n FROM snapshot_keys'),
    versions: count('SELECT count(*) AS n FROM snapshot_nodes'),
    corrupt: [],
    wrongSummaries: [],
    unusedKeys: count('SELECT count(*) AS n FROM snapshot_keys k WHERE NOT EXISTS (SELECT 1 FROM snapshot_nodes n WHERE n.key_id = k.key_id)'),
  };
  const rows = db
    .prepare(
      `SELECT n.snapshot_id, k.type, k.node_id, n.hash, n.data, n.base_snapshot_id, b.data AS base_data, b.deleted AS base_deleted, b.base_snapshot_id AS base_base
         FROM snapshot_nodes n JOIN snapshot_keys k USING (key_id)
         LEFT JOIN snapshot_nodes b ON b.key_id = n.key_id AND b.snapshot_id = n.base_snapshot_id
        WHERE n.deleted = 0`,
    )
    .iterate() as Iterable<{
    snapshot_id: number;
    type: string;
    node_id: string;
    hash: Uint8Array | null;
    data: string | null;
    base_snapshot_id: number | null;
    base_data: string | null;
    base_deleted: number | null;
    base_base: number | null;
  }>;
  for (const row of rows) {
    const where = { snapshotId: Number(row.snapshot_id), type: row.type, nodeId: row.node_id };
    let problem: string | undefined;
    const patched = row.base_snapshot_id !== null;
    try {
      if (canonicalJson(JSON.parse(row.data ?? '')) !== row.data) problem = 'data is not in canonical form';
      else if (patched && (row.base_data === null || Number(row.base_deleted) === 1 || row.base_base !== null)) problem = `its base version (#${row.base_snapshot_id}) is missing or not a full version`;
      else {
        const canonical = canonicalJson(materialize(row.data!, row.base_data, patched));
        if (!row.hash || !Buffer.from(nodeHash(canonical)).equals(Buffer.from(row.hash))) problem = 'data does not match its hash';
      }
    } catch {
      problem = 'data is not JSON';
    }
    if (problem) report.corrupt.push({ ...where, problem });
  }
  const summaries = db.prepare('SELECT id, created_count, changed_count, deleted_count FROM snapshots ORDER BY id').all() as {
    id: number;
    created_count: number;
    changed_count: number;
    deleted_count: number;
  }[];
  for (const row of summaries) {
    const actual = countChanges(vault, Number(row.id));
    if (actual.created !== Number(row.created_count) || actual.changed !== Number(row.changed_count) || actual.deleted !== Number(row.deleted_count)) {
      report.wrongSummaries.push(Number(row.id));
    }
  }
  return report;
}
