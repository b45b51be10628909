/**
 * Runs the benchmarks: every bench/*.ts file (other than this one) exporting
 * `benchmark: { name, run }`. `npm run bench -- snapshots` runs only those
 * whose name contains "snapshots". A bench reports its figures with
 * `record(table, rows)` (bench/results.ts): they go to bench/results.json with
 * the load and commit they were measured under, and `npm run bench:readme`
 * turns them into the README's tables.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export { record, type BenchRow } from './results';

export interface Benchmark {
  name: string;
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && file !== 'results.ts' && !file.endsWith('.d.ts'))
    .sort();
  let ran = 0;
  for (const file of files) {
    const loaded = (await import(path.join(__dirname, file))) as { benchmark?: Benchmark };
    const benchmark = loaded.benchmark;
    if (!benchmark) continue;
    if (filters.length && !filters.some((filter) => benchmark.name.includes(filter) || file.includes(filter))) continue;
    console.log(`\n## ${benchmark.name} (bench/${file}), load ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores\n`);
    await benchmark.run();
    ran++;
  }
  if (ran === 0) {
    console.error(`No benchmark matched ${filters.join(', ')}.`);
    process.exitCode = 1;
  }
}

// Bench files import record() from here: run only when this file is the entry point.
if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
