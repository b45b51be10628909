/**
 * Runs the benchmarks: every bench/*.ts file (other than this one) exporting
 * `benchmark: { name, run }`. `npm run bench -- snapshots` runs only those
 * whose name contains "snapshots".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Benchmark {
  name: string;
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.endsWith('.d.ts'))
    .sort();
  let ran = 0;
  for (const file of files) {
    const loaded = (await import(path.join(__dirname, file))) as { benchmark?: Benchmark };
    const benchmark = loaded.benchmark;
    if (!benchmark) continue;
    if (filters.length && !filters.some((filter) => benchmark.name.includes(filter) || file.includes(filter))) continue;
    console.log(`\n## ${benchmark.name} (bench/${file})\n`);
    await benchmark.run();
    ran++;
  }
  if (ran === 0) {
    console.error(`No benchmark matched ${filters.join(', ')}.`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
