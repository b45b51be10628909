/**
 * Restore a snapshot's structure into a server: the same one (in place) or
 * another (migration, ids mapped through id_map).
 *
 * - planRestore(vault, client, { snapshotId, targetGuildId, include? }): the ordered plan, blocked actions with reasons.
 * - applyRestore(vault, client, plan, options?, job?): runs it; resumable, never creates twice.
 * - describePlan / describeReport: the plan and the outcome as text.
 */
export * from './types';
export { planRestore, type PlanRestoreOptions } from './planRestore';
export { applyRestore, type ApplyRestoreOptions } from './applyRestore';
export { describePlan, describeReport } from './describe';
export { mappedId, recordMapping, type MappedKind } from './idMap';
