import * as fs from 'node:fs';
import * as path from 'node:path';
import { casTempDir, isSha256 } from './casPath';
import type { MediaPool } from './mediaPool';
import { checkFile } from './verify';

/**
 * What `verify` found, noted for the next backup: verify reads the vault only
 * (it may run beside a backup), so it leaves its findings in a small file
 * under cas/, and the next job that holds the vault for writing repairs them.
 */
const FINDINGS_FILE = 'verify-findings.json';

export interface PoolRepair {
  /** Half-written downloads left in cas/tmp by a run that was killed. */
  staleTempFiles: number;
  /** Files verify found missing or corrupt whose references were queued to download again. */
  requeuedFiles: number;
  requeuedReferences: number;
}

/** Notes verify's findings (missing or corrupt hashes) for the next backup; none clears the note. */
export function noteVerifyFindings(pool: MediaPool, damaged: string[]): void {
  const file = path.join(pool.casDir, FINDINGS_FILE);
  try {
    if (damaged.length === 0) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, `${JSON.stringify({ notedAt: new Date().toISOString(), damaged })}\n`);
  } catch {
    // A vault on read-only media (a copy being checked): the findings are in verify's report.
  }
}

/**
 * Run by a job holding the vault for writing, before it downloads anything:
 * removes cas/tmp leftovers (the lock is ours, so no download of another
 * process is in flight there), and for each file verify found missing or
 * corrupt and that is still so, deletes the bad copy and sets its references
 * back to pending, so this run downloads it again while Discord still serves it.
 */
export async function repairPool(pool: MediaPool): Promise<PoolRepair> {
  const repair: PoolRepair = { staleTempFiles: 0, requeuedFiles: 0, requeuedReferences: 0 };
  const tempDir = casTempDir(pool.casDir);
  for (const name of safeList(tempDir)) {
    fs.rmSync(path.join(tempDir, name), { force: true, recursive: true });
    repair.staleTempFiles++;
  }
  const findings = path.join(pool.casDir, FINDINGS_FILE);
  const damaged = readFindings(findings);
  if (damaged.length === 0) return repair;
  const stillDamaged: string[] = [];
  for (const sha256 of damaged) {
    const row = pool.vault.db.prepare('SELECT size FROM media WHERE sha256 = ?').get(sha256) as { size: number } | undefined;
    // Repaired since (a copy put back, a later download), or no longer in the pool: nothing to do.
    if (row && (await checkFile(pool.pathFor(sha256), sha256, row.size)) !== 'ok') stillDamaged.push(sha256);
  }
  // The media row stays (the file's identity); the bad copy goes and its references download it again.
  const requeue = pool.vault.db.prepare("UPDATE media_refs SET status = 'pending', problem = NULL WHERE sha256 = ? AND status = 'stored'");
  pool.vault.transaction(() => {
    for (const sha256 of stillDamaged) {
      fs.rmSync(pool.pathFor(sha256), { force: true });
      repair.requeuedReferences += Number(requeue.run(sha256).changes);
      repair.requeuedFiles++;
    }
  });
  fs.rmSync(findings, { force: true });
  return repair;
}

function readFindings(file: string): string[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { damaged?: unknown };
    return Array.isArray(parsed.damaged) ? parsed.damaged.filter((value): value is string => typeof value === 'string' && isSha256(value)) : [];
  } catch {
    return [];
  }
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
