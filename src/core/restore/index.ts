/**
 * Restore a snapshot's structure into a server: the same one (in place) or
 * another (migration, ids mapped through id_map).
 *
 * - planRestore(vault, client, { snapshotId, targetGuildId, include?, prune? }, job?): the ordered plan, blocked actions with reasons, what is kept.
 * - applyRestore(vault, client, plan, { confirmed?, preRestoreSnapshot? }, job?): runs it; resumable, never creates twice; refuses unconfirmed deletions and bans.
 * - describePlan / describeReport: the plan and the outcome as text.
 */
export * from './types';
export { planRestore, type PlanRestoreOptions } from './planRestore';
export { applyRestore, destructiveActions, type ApplyRestoreOptions } from './applyRestore';
export { describeDestructive, describePlan, describeReport } from './describe';
export { mappedId, recordMapping, type MappedKind } from './idMap';
