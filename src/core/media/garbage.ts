import * as fs from 'node:fs';
import * as path from 'node:path';
import { Job } from '../job';
import { casTempDir, isSha256 } from './casPath';
import type { MediaPool } from './mediaPool';
import { formatBytes, plural } from '../text';

export interface GarbageReport {
  /** Pool entries nothing references any more, removed with their files. */
  removedFiles: number;
  removedBytes: number;
  /** Files under cas/ with no pool entry (left by a killed download), removed. */
  strayFiles: number;
}

/** Temp files younger than this may belong to a download still running in another job. */
const TEMP_GRACE_MS = 10 * 60_000;
const PAGE = 500;

/**
 * Removes pool files that no media reference points at, then files under cas/
 * that the pool does not know (a kill between rename and insert leaves those).
 * Needs the vault open for writing (so no backup runs meanwhile).
 */
export function collectGarbage(pool: MediaPool, job = new Job()): GarbageReport {
  const report: GarbageReport = { removedFiles: 0, removedBytes: 0, strayFiles: 0 };
  const db = pool.vault.db;
  const unreferenced = db.prepare(
    'SELECT sha256, size FROM media m WHERE sha256 > ? AND NOT EXISTS (SELECT 1 FROM media_refs r WHERE r.sha256 = m.sha256) ORDER BY sha256 LIMIT ?',
  );
  const remove = db.prepare('DELETE FROM media WHERE sha256 = ?');
  let after = '';
  for (;;) {
    job.throwIfStopped();
    const rows = unreferenced.all(after, PAGE) as { sha256: string; size: number }[];
    if (rows.length === 0) break;
    // Rows go first: a crash after the delete leaves only stray files, which the sweep below removes.
    pool.vault.transaction(() => {
      for (const row of rows) remove.run(row.sha256);
    });
    for (const row of rows) {
      fs.rmSync(pool.pathFor(row.sha256), { force: true });
      report.removedFiles++;
      report.removedBytes += row.size;
    }
    after = rows[rows.length - 1].sha256;
    job.progress({ phase: 'gc', message: `${plural(report.removedFiles, 'file')} removed`, bytes: report.removedBytes });
  }
  report.strayFiles = sweepStrayFiles(pool, job);
  job.log('info', `gc: removed ${plural(report.removedFiles, 'unreferenced file')} (${formatBytes(report.removedBytes)}) and ${plural(report.strayFiles, 'stray file')}`);
  return report;
}

function sweepStrayFiles(pool: MediaPool, job: Job): number {
  const known = pool.vault.db.prepare('SELECT 1 FROM media WHERE sha256 = ?');
  let removed = 0;
  const now = Date.now();
  for (const first of listDir(pool.casDir)) {
    const firstPath = path.join(pool.casDir, first);
    if (firstPath === casTempDir(pool.casDir)) {
      for (const temp of listDir(firstPath)) {
        const tempPath = path.join(firstPath, temp);
        if (now - fs.statSync(tempPath).mtimeMs > TEMP_GRACE_MS) {
          fs.rmSync(tempPath, { force: true });
          removed++;
        }
      }
      continue;
    }
    for (const second of listDir(firstPath)) {
      job.throwIfStopped();
      const secondPath = path.join(firstPath, second);
      for (const name of listDir(secondPath)) {
        if (isSha256(name) && known.get(name) !== undefined) continue;
        fs.rmSync(path.join(secondPath, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}

function listDir(dir: string): string[] {
  try {
    return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : [];
  } catch {
    return [];
  }
}
