import type { Vault } from '../vault';

/** One message sync (syncArchive run) as the vault recorded it. */
export interface ArchiveRunInfo {
  /** running (or killed before it could say otherwise) | done | cancelled | failed */
  status: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface ArchiveRunHistory {
  /** The most recent run, whatever its outcome. */
  latest?: ArchiveRunInfo;
  /** The most recent run that completed. */
  lastCompleted?: ArchiveRunInfo;
}

/** The latest sync and the latest completed one: what a server's status line is made of. */
export function archiveRunHistory(vault: Vault): ArchiveRunHistory {
  const select = 'SELECT status, started_at AS startedAt, finished_at AS finishedAt FROM archive_runs';
  const latest = vault.db.prepare(`${select} ORDER BY id DESC LIMIT 1`).get() as ArchiveRunInfo | undefined;
  const lastCompleted = vault.db.prepare(`${select} WHERE status = 'done' ORDER BY id DESC LIMIT 1`).get() as ArchiveRunInfo | undefined;
  return { latest: latest && { ...latest }, lastCompleted: lastCompleted && { ...lastCompleted } };
}
