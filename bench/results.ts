/**
 * The benchmarks' figures on disk: bench/results.json, one table per bench
 * (search, export, archive, ...), each row stamped with the machine's load
 * when it was recorded, so a figure measured on a busy machine is never read
 * as a quiet one. The README's performance tables are generated from this
 * file (scripts/benchReadme.ts), never copied by hand.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const RESULTS_FILE = path.join(__dirname, 'results.json');

/** One measured figure as a bench reports it. */
export interface BenchRow {
  /** What was measured, e.g. "Full backup at Discord's limits (60,000 messages)". */
  what: string;
  /** The figure, with its unit, e.g. "4,947 messages/s = 98% of the ceiling". */
  figure: string;
  /** The goal it is measured against, if any. */
  goal?: string;
}

/** A row as stored: the figure plus where and when it was measured. */
export interface RecordedRow extends BenchRow {
  /** 1-minute load average when the row was recorded. */
  load: number;
  measuredAt: string;
  commit: string;
}

export interface BenchTable {
  rows: RecordedRow[];
  /** The machine the table was last measured on. */
  machine: { cpus: number; node: string; platform: string };
}

export interface BenchResults {
  tables: Record<string, BenchTable>;
}

export function readResults(file = RESULTS_FILE): BenchResults {
  if (!fs.existsSync(file)) return { tables: {} };
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults;
}

function currentCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: __dirname, encoding: 'utf8' }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

/**
 * Records a bench's figures under `table`: each row replaces the row of the
 * same `what`, other rows stay (a bench run with parts skipped, e.g.
 * BENCH_ARCHIVE_VAULTS=0, keeps the figures of the parts it skipped, each with
 * its own commit, time and load). Each row gets the load average of the moment
 * it is recorded: record each figure as soon as it is measured (one call per
 * row is fine) so its load is the one it ran under. A row no bench produces
 * any more is removed by editing results.json.
 */
export function record(table: string, rows: BenchRow[], file = RESULTS_FILE): void {
  const results = readResults(file);
  const stamp = { load: Number(os.loadavg()[0]!.toFixed(2)), measuredAt: new Date().toISOString(), commit: currentCommit() };
  const fresh = rows.map((row) => ({ ...row, ...stamp }));
  const previous = results.tables[table]?.rows ?? [];
  const merged = previous.map((row) => fresh.find((f) => f.what === row.what) ?? row);
  for (const row of fresh) if (!previous.some((p) => p.what === row.what)) merged.push(row);
  results.tables[table] = {
    rows: merged,
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
  };
  const sorted: BenchResults = { tables: Object.fromEntries(Object.entries(results.tables).sort(([a], [b]) => a.localeCompare(b))) };
  fs.writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}
