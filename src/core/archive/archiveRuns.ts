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
  /** The run before the latest (a snapshot taken after it belongs to the latest run's backup). */
  previous?: ArchiveRunInfo;
  /** The most recent run that completed. */
  lastCompleted?: ArchiveRunInfo;
}

/** The latest sync and the latest completed one: what a server's status line is made of. */
export function archiveRunHistory(vault: Vault): ArchiveRunHistory {
  const select = 'SELECT status, started_at AS startedAt, finished_at AS finishedAt FROM archive_runs';
  const [latest, previous] = vault.db.prepare(`${select} ORDER BY id DESC LIMIT 2`).all() as unknown as ArchiveRunInfo[];
  const lastCompleted = vault.db.prepare(`${select} WHERE status = 'done' ORDER BY id DESC LIMIT 1`).get() as ArchiveRunInfo | undefined;
  return { latest: latest && { ...latest }, previous: previous && { ...previous }, lastCompleted: lastCompleted && { ...lastCompleted } };
}
