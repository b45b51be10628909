/**
 * The one place the VS Code layer imports the engine (src/core) and the
 * emulator from. Everything else in src/vscode goes through these names, so a
 * change of engine signature is fixed here.
 */
import type { Emulator } from '../emulator';

export { DEFAULTS, mediaCapBytes, withinRange, type NumberDefault } from '../core/defaults';
export { isBackupDue, isSnapshotDue, scheduleCheckIntervalMs } from '../core/schedule/schedulePolicy';
export { GuildVaultError, describeError, isGuildVaultError } from '../core/errors';
export { Job, type JobLog, type JobProgress } from '../core/job';
export { JobProgressTracker, type PhaseWeights } from '../core/progress/jobProgressTracker';
export { Vault, VaultStore, currentSelection, parseEngineChoice, selectEngine, type EngineChoice } from '../core/vault';
export { readGuildIdentity } from '../core/vault/identity';
export { casPathFor } from '../core/media/casPath';

// ---- Discord client (src/core/discord, src/core/connect) ------------------------------------------

export { botInviteUrl, cleanBotToken, compareSnowflakes, DiscordClient, isCategory, isPrivateThread, isThread, tokenShapeProblem, type DiscordClientOptions, type RateLimitedEvent, type RetryEvent } from '../core/discord';
export { listBotGuilds, verifyToken, type BotGuild } from '../core/connect';

// ---- Migration (src/core/migrate) ---------------------------------------------------------------

export { describeMigrationPlan, migrateMessages, planMigration, type MigratePlan, type MigrateReport } from '../core/migrate';

// ---- Snapshots (src/core/snapshots) -----------------------------------------------------------

export {
  deleteSnapshot,
  listSnapshots,
  pruneSnapshots,
  renderHealthDocument,
  renderSnapshot,
  renderSnapshotSections,
  setLabel,
  setPinned,
  type HealthReport,
  type LiveRender,
  type RenderedSection,
  type SnapshotInfo,
  type SnapshotKind,
  type TakenSnapshot,
} from '../core/snapshots';

// ---- Archive (src/core/archive, src/core/jobs/backup.ts) -----------------------------------------

// Long jobs (backup, sync, snapshot, live capture, health, transcripts) run in job workers: see src/workers/jobKinds.ts.
export { archiveRunHistory, getArchivedChannel, listArchivedChannels, type ArchiveRunHistory, type ArchivedChannel, type SyncOptions as ArchiveOptions, type SyncReport } from '../core/archive';
export type { BackupOptions } from '../core/jobs/backup';

// ---- Search (src/core/search): a page of results is an indexed read of milliseconds, on this thread --

export { searchMessages, type SearchHit, type SearchResult } from '../core/search';
export type { BackupReport } from '../core/jobs/backup';

// ---- Job workers (src/workers): long jobs run off the extension host's thread ---------------------

export { JobWorkers, SPARE_WORKER_IDLE_MS } from '../workers/jobWorkerHost';
export type { BotAccess, JobRequest } from '../workers/protocol';
export type { JobKind, JobResult } from '../workers/jobKinds';

// ---- Emulator (src/emulator) ------------------------------------------------------------------

export type RunningEmulator = Pick<Emulator, 'apiBaseUrl' | 'cdnBaseUrl' | 'token' | 'guildIds' | 'close'>;


/**
 * Ports the demo emulator listens on. package.json's configurationDefaults tell VS Code not to
 * auto-forward this range (`remote.portsAttributes`): in a remote window a forwarded port would
 * publish an API that hands out a bot token to whoever reaches it, for nothing (the extension
 * host talks to it locally).
 */
export const DEMO_PORTS = { first: 47800, last: 47899 } as const;

/** The demo world ("Guild Vault Demo" first), with Discord's rate limits so a backup looks real. */
export async function startDemoEmulator(): Promise<RunningEmulator> {
  // Loaded on first use: most sessions never start the emulator.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmulator, DEMO_BOT_NAME } = require('../emulator') as typeof import('../emulator');
  for (let port = DEMO_PORTS.first; port <= DEMO_PORTS.last; port++) {
    try {
      return await startEmulator({ size: 'demo', seed: 1, botName: DEMO_BOT_NAME, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  // Every port of the range taken (many windows): any free port, forwarded or not.
  return startEmulator({ size: 'demo', seed: 1, botName: DEMO_BOT_NAME });
}

// ---- Export (src/core/export) ---------------------------------------------------------------

// ---- Bundles (src/core/bundle) ---------------------------------------------------------------
export { isEncrypted, type BundleSummary, type RestoredVault } from '../core/bundle';

export { EXPORT_FORMATS, bundleFileName, type ExportFormat, type ExportReport, type MediaMode } from '../core/export';

// ---- Restore (src/core/restore) -------------------------------------------------------------

// Planning and applying run in a job worker (src/workers/jobKinds.ts: restorePlan, restore).
export {
  describeDestructive,
  describeReport,
  destructiveActions,
  type RestoreInclude,
  type RestorePlan,
  type RestorePreview,
  type RestoreReport,
} from '../core/restore';
