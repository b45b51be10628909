import * as fs from 'node:fs';
import { Vault } from '../../../src/core/vault';
import { canonicalJson } from '../../../src/core/snapshots/canonical';
import { NODE_TYPES, type CaptureStatus, type NodeData, type NodeType, type StructureState } from '../../../src/core/snapshots/types';
import { tempDir } from '../../support/tempDir';

export function tempVault(): Vault {
  return Vault.open(tempDir('gv-snap-'), { purpose: 'test' });
}

/** A state from plain objects: { role: { '1': {...} } }; every type 'ok' unless `status` says otherwise. */
export function makeState(nodes: Partial<Record<NodeType, Record<string, NodeData>>>, status: CaptureStatus = {}): StructureState {
  const state: StructureState = { guildId: '100000000000000001', nodes: new Map(), status: {} };
  for (const type of NODE_TYPES) state.status[type] = status[type] ?? 'ok';
  for (const [type, byId] of Object.entries(nodes)) state.nodes.set(type as NodeType, new Map(Object.entries(byId!)));
  return state;
}

/** A comparable plain form of a state's nodes (types with no nodes left out). */
export function plainNodes(state: StructureState): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const type of [...state.nodes.keys()].sort()) {
    const byId = state.nodes.get(type)!;
    if (byId.size === 0) continue;
    out[type] = {};
    for (const id of [...byId.keys()].sort()) out[type][id] = canonicalJson(byId.get(id));
  }
  return out;
}

export function rowCount(vault: Vault, snapshotId?: number): number {
  const row = (snapshotId === undefined
    ? vault.db.prepare('SELECT count(*) AS n FROM snapshot_nodes').get()
    : vault.db.prepare('SELECT count(*) AS n FROM snapshot_nodes WHERE snapshot_id = ?').get(snapshotId)) as { n: number };
  return Number(row.n);
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
