import type { DateInput } from '../text';
import type { Vault } from '../vault';

/** How an archive run ended: `running` while it runs (or when the process died during it). */
export type ArchiveRunStatus = 'running' | 'done' | 'cancelled' | 'failed';

/** One message sync (syncArchive run) as the vault recorded it. */
export interface ArchiveRunInfo {
  status: ArchiveRunStatus;
  startedAt: string;
  finishedAt: string | null;
}

/** The latest syncs: what a server's status line is made of. */
export interface ArchiveRunHistory {
  /** The most recent run, whatever its outcome. */
  latest?: ArchiveRunInfo;
  /** The run before the latest (a snapshot taken after it belongs to the latest run's backup). */
  previous?: ArchiveRunInfo;
  /** The most recent run that completed. */
  lastCompleted?: ArchiveRunInfo;
}

/** The archive_runs table: one row per sync, with how it ended and its report. */
export class ArchiveRuns {
  constructor(private readonly vault: Vault) {}

  /** Records a run as started; returns its id. */
  start(): number {
    return Number(this.vault.db.prepare("INSERT INTO archive_runs (started_at, status) VALUES (?, 'running')").run(new Date().toISOString()).lastInsertRowid);
  }

  finish(runId: number, status: Exclude<ArchiveRunStatus, 'running'>, report: object): void {
    try {
      this.vault.db.prepare('UPDATE archive_runs SET finished_at = ?, status = ?, report = ? WHERE id = ?').run(new Date().toISOString(), status, JSON.stringify(report), runId);
    } catch {
      // the vault may be closing after a fatal error; the run row is informational
    }
  }

  /** The newest run's status (undefined: none yet). */
  lastStatus(): ArchiveRunStatus | undefined {
    return this.history().latest?.status;
  }

  /** The latest run, the one before it, and the latest that completed. */
  history(): ArchiveRunHistory {
    const select = 'SELECT status, started_at AS startedAt, finished_at AS finishedAt FROM archive_runs';
    const [latest, previous] = this.vault.db.prepare(`${select} ORDER BY id DESC LIMIT 2`).all() as unknown as ArchiveRunInfo[];
    const lastCompleted = this.vault.db.prepare(`${select} WHERE status = 'done' ORDER BY id DESC LIMIT 1`).get() as ArchiveRunInfo | undefined;
    return { latest: latest && { ...latest }, previous: previous && { ...previous }, lastCompleted: lastCompleted && { ...lastCompleted } };
  }
}

/** archiveRunHistory(vault) = new ArchiveRuns(vault).history(), for readers that hold only a vault. */
export function archiveRunHistory(vault: Vault): ArchiveRunHistory {
  return new ArchiveRuns(vault).history();
}

/**
 * A backup is a snapshot and then a sync. The snapshot phase of a big server takes minutes, so a
 * completed sync counts as a backup when a snapshot was taken within this time before it
 * (and after the sync before it: a Sync Messages right after a backup is a sync).
 */
export const BACKUP_SNAPSHOT_SLACK_MS = 60 * 60_000;

/**
 * Whether a sync was part of a backup: a snapshot (any of `snapshotTimes`, in any order; a
 * snapshot taken since does not hide the backup's) was taken before it started, within
 * BACKUP_SNAPSHOT_SLACK_MS, and after the run before it started.
 */
export function wasBackup(run: { startedAt: string }, previousRunStartedAt: string | undefined, snapshotTimes: readonly DateInput[]): boolean {
  const started = Date.parse(run.startedAt);
  const previous = previousRunStartedAt === undefined ? -Infinity : Date.parse(previousRunStartedAt);
  return snapshotTimes.some((time) => {
    const snapshotAt = new Date(time).getTime();
    return snapshotAt > previous && snapshotAt <= started + 1000 && started - snapshotAt <= BACKUP_SNAPSHOT_SLACK_MS;
  });
}
