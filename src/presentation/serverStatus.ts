import { wasBackup } from '../core/archive/archiveRuns';
import { formatAgoShort, formatFullDateTime, type DateFormatOptions, type DateInput } from '../core/text';

/** What a server's row is made of: its vault's sync history and newest snapshot (engine types, structurally). */
export interface ServerHistory {
  hasVault: boolean;
  latestRun?: { status: string; startedAt: string; finishedAt: string | null };
  /** When the run before the latest started: a backup's snapshot is taken after it. */
  previousRunStartedAt?: string;
  newestSnapshotAt?: DateInput;
  /** When each snapshot was taken (any order): a backup's may not be the newest (a snapshot taken since). */
  snapshotTimes?: DateInput[];
}

/**
 * The server row's description, true to what happened last: "backed up 2h ago" only for a
 * completed backup; "synced 5m ago" for messages alone; "incomplete: cancelled 1h ago";
 * "snapshot 3d ago, messages not synced". (A running job's line comes from the job itself.)
 */
export function serverStatusText(history: ServerHistory, now: DateInput = Date.now(), options: DateFormatOptions = {}): string {
  if (!history.hasVault) return 'not backed up';
  const run = history.latestRun;
  if (!run) return history.newestSnapshotAt ? `snapshot ${formatAgoShort(history.newestSnapshotAt, now, options)}, messages not synced` : 'not backed up';
  const when = run.finishedAt ?? run.startedAt;
  const ago = formatAgoShort(when, now, options);
  switch (run.status) {
    case 'done':
      return `${latestWasBackup(history) ? 'backed up' : 'synced'} ${ago}`;
    case 'cancelled':
      return `incomplete: cancelled ${ago}`;
    case 'failed':
      return `incomplete: failed ${ago}`;
    default:
      // Still "running" in the vault but no job of ours runs it: another process, or one that was killed.
      return `incomplete: interrupted ${ago}`;
  }
}

/** The tooltip line that goes with it: the full date of the last sync. */
export function serverStatusDetail(history: ServerHistory, options: DateFormatOptions = {}): string | undefined {
  const run = history.latestRun;
  if (!run) return undefined;
  const when = formatFullDateTime(run.finishedAt ?? run.startedAt, options);
  switch (run.status) {
    case 'done':
      return `Last ${latestWasBackup(history) ? 'backup' : 'message sync'} completed ${when}.`;
    case 'cancelled':
      return `The last sync was cancelled ${when}; what it fetched is kept, and the next one continues.`;
    case 'failed':
      return `The last sync failed ${when}; what it fetched is kept. The log says why.`;
    default:
      return `The last sync, started ${when}, never finished (VS Code or the CLI was closed, or it still runs elsewhere).`;
  }
}

/** The latest run was a backup, by the engine's rule (wasBackup), not a sync alone. */
function latestWasBackup(history: ServerHistory): boolean {
  const run = history.latestRun;
  const times = history.snapshotTimes ?? (history.newestSnapshotAt === undefined ? [] : [history.newestSnapshotAt]);
  return run !== undefined && wasBackup(run, history.previousRunStartedAt, times);
}
