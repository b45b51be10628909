import type { Vault } from '../../vault';
import { getSnapshot, loadState } from '../chain';
import { inScopes, isPartial, isUnreadable, nodesOf, type StructureState } from '../types';
import { renderSections, renderState, type RenderedSection } from './renderState';

export { renderState, renderSections, type RenderedSection } from './renderState';
export { unifiedDiff } from './lineDiff';

/** Snapshot `id` as its text document (same state, same bytes). */
export function renderSnapshot(vault: Vault, id: number): string {
  return renderState(loadState(vault, id));
}

/** Snapshot `id` split into sections, for a multi-file diff. */
export function renderSnapshotSections(vault: Vault, id: number): RenderedSection[] {
  return renderSections(loadState(vault, id));
}

/**
 * For "Compare with Live Server": node types the live capture could not read
 * are filled in from snapshot `id` and marked so, so a missing permission
 * shows as a note instead of as every ban being deleted.
 */
export function withUnreadableFrom(live: StructureState, vault: Vault, id: number): StructureState {
  const base = loadState(vault, id);
  const info = getSnapshot(vault, id);
  const out: StructureState = { guildId: live.guildId, nodes: new Map(live.nodes), status: { ...live.status } };
  for (const [type, status] of Object.entries(live.status) as [keyof typeof live.status, (typeof live.status)[keyof typeof live.status]][]) {
    if (isPartial(status)) {
      // Nodes the live capture could not reach come from the snapshot.
      const merged = new Map(nodesOf(base, type));
      for (const nodeId of merged.keys()) if (!inScopes(status, nodeId)) merged.delete(nodeId);
      for (const [nodeId, data] of live.nodes.get(type) ?? []) merged.set(nodeId, data);
      out.nodes.set(type, merged);
      continue;
    }
    if (!isUnreadable(status)) continue;
    const known = base.status[type];
    const asOf = isUnreadable(known) ? { asOfId: known.asOfId, asOfDate: known.asOfDate } : { asOfId: info.id, asOfDate: info.createdAt };
    out.nodes.set(type, new Map(nodesOf(base, type)));
    out.status[type] = { unreadable: status.unreadable, ...asOf };
  }
  return out;
}
