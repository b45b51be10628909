/**
 * Restore a snapshot's structure into a server: the same one (in place) or
 * another (migration, ids mapped through id_map).
 *
 * - planRestore(vault, client, { snapshotId, targetGuildId, include?, prune? }, job?): the ordered plan, blocked actions with reasons, what is kept.
 * - applyRestore(vault, client, plan, { confirmed?, preRestoreSnapshot? }, job?): runs it; resumable, never creates twice; refuses unconfirmed deletions and bans.
 * - describePlan / describeReport: the plan and the outcome as text.
 * - planRestoreChoices(vault, client, { snapshotId, targetGuildId, include? }, job?): the keep and prune plans and the
 *   preview (the target now and after the keep plan, rendered like snapshots, for a diff) from one capture of the target.
 */
export * from './types';
export { planRestore, type PlanRestoreOptions } from './planRestore';
export { applyRestore, destructiveActions, type ApplyRestoreOptions } from './applyRestore';
export { describeDestructive, describePlan, describeReport } from './describe';
export { mappedId, recordMapping, type MappedKind } from './idMap';
export { planRestoreChoices, type RestoreChoices } from './restoreChoices';
export { projectRestore, PREVIEW_APPROXIMATIONS, type RestorePreview } from './preview';
