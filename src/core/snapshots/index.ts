/**
 * Server-structure snapshots: the Bound Snapshot Chain.
 *
 * - takeSnapshot(vault, client, guildId, { kind, label?, retention? }, job?) captures and stores one.
 * - listSnapshots / getSnapshot / loadState / deleteSnapshot / setPinned / setLabel / pruneSnapshots manage the chain.
 * - renderSnapshot / renderSnapshotSections / renderState / renderSections turn states into stable text.
 * - captureLiveState + withUnreadableFrom + renderState: "Compare with Live Server".
 * - checkHealth: missing permissions and intents, and what they cost; renderHealthDocument: the report as text (CLI and VS Code).
 */
export * from './types';
export { takeSnapshot, type TakeSnapshotOptions, type TakenSnapshot } from './takeSnapshot';
export { captureLiveState, type CaptureOptions, type LiveState } from './capture/captureLiveState';
export { structureMediaRefs } from './capture/snapshotMedia';
export {
  storeSnapshot,
  loadState,
  listSnapshots,
  getSnapshot,
  previousSnapshotId,
  latestSnapshotId,
  lastKnownNode,
  setPinned,
  setLabel,
  deleteSnapshot,
  pruneSnapshots,
  verifyChain,
  type ChainReport,
  type StoreSnapshotOptions,
} from './chain';
export { renderSnapshot, renderSnapshotSections, renderState, renderSections, withUnreadableFrom, unifiedDiff, type RenderedSection } from './render';
export { exportSnapshot, importSnapshot, parseSnapshotFile, SNAPSHOT_FILE_FORMAT, type SnapshotFile } from './exchange';
export { renderLiveState, type LiveRender, type LiveRenderOptions } from './live';
export { checkHealth, type HealthReport, type HealthProblem, type HealthSeverity, type IntentState } from './health';
export { renderHealthDocument } from './healthText';
export { permissionNames } from './permissions';
