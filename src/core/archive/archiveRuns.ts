import type { Vault } from '../vault';

/** How an archive run ended: `running` while it runs (or when the process died during it). */
export type ArchiveRunStatus = 'running' | 'done' | 'cancelled' | 'failed';

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
    return (this.vault.db.prepare('SELECT status FROM archive_runs ORDER BY id DESC LIMIT 1').get() as { status: ArchiveRunStatus } | undefined)?.status;
  }
}
