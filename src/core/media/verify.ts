import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Job } from '../job';
import type { MediaPool } from './mediaPool';

export interface MediaVerifyReport {
  checked: number;
  ok: number;
  bytes: number;
  /** Hashes whose file is gone (first 1000). */
  missing: string[];
  missingCount: number;
  /** Hashes whose file no longer hashes to its name, or has the wrong size (first 1000). */
  corrupt: string[];
  corruptCount: number;
}

const LISTED = 1000;
const PAGE = 500;

/** Re-hashes every file of the pool against its name and recorded size. Reads the vault only. */
export async function verifyMediaPool(pool: MediaPool, job = new Job()): Promise<MediaVerifyReport> {
  const report: MediaVerifyReport = { checked: 0, ok: 0, bytes: 0, missing: [], missingCount: 0, corrupt: [], corruptCount: 0 };
  const total = (pool.vault.db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n;
  const page = pool.vault.db.prepare('SELECT sha256, size FROM media WHERE sha256 > ? ORDER BY sha256 LIMIT ?');
  let after = '';
  let lastPercent = -1;
  for (;;) {
    const rows = page.all(after, PAGE) as { sha256: string; size: number }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      job.throwIfStopped();
      const outcome = await checkFile(pool.pathFor(row.sha256), row.sha256, row.size);
      report.checked++;
      if (outcome === 'ok') {
        report.ok++;
        report.bytes += row.size;
      } else if (outcome === 'missing') {
        report.missingCount++;
        if (report.missing.length < LISTED) report.missing.push(row.sha256);
        job.log('warn', `media ${row.sha256}: file missing`);
      } else {
        report.corruptCount++;
        if (report.corrupt.length < LISTED) report.corrupt.push(row.sha256);
        job.log('warn', `media ${row.sha256}: content does not match its hash`);
      }
      // Every percent, not every file: plain-text front ends print a line per step.
      const percent = Math.floor((report.checked * 100) / Math.max(1, total));
      if (percent !== lastPercent || report.checked === total) {
        lastPercent = percent;
        job.progress({ phase: 'verify', done: report.checked, total, bytes: report.bytes });
      }
    }
    after = rows[rows.length - 1].sha256;
  }
  return report;
}

async function checkFile(file: string, sha256: string, size: number): Promise<'ok' | 'missing' | 'corrupt'> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    return 'missing';
  }
  if (stat.size !== size) return 'corrupt';
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex') === sha256 ? 'ok' : 'corrupt';
}
