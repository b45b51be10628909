/**
 * The two storage engines side by side, from one run (figures for README
 * "Performance", Storage engines table): raw insert rate, ingest rate and
 * snapshot rebuild (and the ingest rate again with both engines alternating
 * in one process, which a busy machine disturbs less); then, at 10k, 100k and 1M messages, a backup into a new
 * vault (time, peak memory), opening it (to read, to write), one more page and
 * the checkpoint that makes it durable (the WASM engine writes a whole image).
 * Every measurement runs in a child process (bench/engines/engineChild.ts) so
 * peak memory is one engine's alone; "idle" is a child that only loads it.
 *
 * Sizes: BENCH_ENGINE_SIZES=10000,100000,1000000.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { record, type Benchmark } from './run';

const SIZES = (process.env.BENCH_ENGINE_SIZES ?? '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
const ENGINES = ['native', 'wasm'] as const;
type Engine = (typeof ENGINES)[number];
type Result = Record<string, number>;

function child(engine: Engine, task: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'engines', 'engineChild.ts')], {
      env: { ...process.env, GV_ENGINE: engine, GV_TASK: task, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (data) => (out += data));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${engine} ${task} exited with ${code}`))));
  });
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const mb = (value: number) => `${n(value)} MB`;

async function run(): Promise<void> {
  const rows: string[][] = [];
  const add = (what: string, native: string, wasm: string) => {
    rows.push([what, native, wasm]);
    record('engines', [{ what, figure: `node:sqlite ${native}; sql.js ${wasm}` }]);
    console.log(`${what}: native ${native}, wasm ${wasm}`);
  };
  const both = async (task: string, env?: Record<string, string>) => {
    const native = await child('native', task, env);
    const wasm = await child('wasm', task, env);
    return { native, wasm };
  };

  const idle = await both('idle');
  add('process with the engine loaded, idle (peak RSS)', mb(idle.native.peakMB!), mb(idle.wasm.peakMB!));
  const rates = await both('rates');
  add('raw insert rate (one JSON row per message, 100 per transaction)', `${n(rates.native.rawPerSecond!)} rows/s`, `${n(rates.wasm.rawPerSecond!)} rows/s`);
  add(
    'ingest rate (50,000 parsed messages, best of 3)',
    `${n(rates.native.ingestPerSecond!)} messages/s`,
    `${n(rates.wasm.ingestPerSecond!)} messages/s (${((rates.wasm.ingestPerSecond! / rates.native.ingestPerSecond!) * 100).toFixed(0)}% of native; goal >= 50%)`,
  );
  const alternating = await child('native', 'alternating');
  add(
    'ingest rate, both engines in one process, rounds alternating (best of 3 each)',
    `${n(alternating.nativeIngestPerSecond!)} messages/s`,
    `${n(alternating.wasmIngestPerSecond!)} messages/s (${((alternating.wasmIngestPerSecond! / alternating.nativeIngestPerSecond!) * 100).toFixed(0)}% of native)`,
  );
  add('snapshot rebuild, server at Discord\'s limits, oldest / newest of 100', `${ms(rates.native.rebuildOldestMs!)} / ${ms(rates.native.rebuildNewestMs!)}`, `${ms(rates.wasm.rebuildOldestMs!)} / ${ms(rates.wasm.rebuildNewestMs!)}`);

  for (const size of SIZES) {
    const dirs = { native: fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-engines-')), wasm: fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-engines-')) };
    try {
      const built: Partial<Record<Engine, Result>> = {};
      const opened: Partial<Record<Engine, Result>> = {};
      for (const engine of ENGINES) {
        // Past the WASM engine's default limit (1 GB), to measure what a vault that size would cost.
        const env = { GV_SIZE: String(size), GV_DIR: dirs[engine], GUILD_VAULT_WASM_MAX_MB: '3800' };
        built[engine] = await child(engine, 'build', env);
        opened[engine] = await child(engine, 'open', env);
      }
      const label = `${n(size)} messages`;
      add(`${label}: backup into a new vault (time, file, peak RSS)`, ...ENGINES.map((e) => `${built[e]!.seconds!.toFixed(1)} s, ${mb(built[e]!.fileMB!)}, ${mb(built[e]!.peakMB!)}`) as [string, string]);
      add(`${label}: open to read / to write`, ...ENGINES.map((e) => `${ms(opened[e]!.openReadMs!)} / ${ms(opened[e]!.openWriteMs!)}`) as [string, string]);
      // The WASM engine may checkpoint at the page's commit already (2 s after opening): time both together.
      add(
        `${label}: open, one more page of 100 made durable (commit + checkpoint), peak RSS`,
        ...ENGINES.map((e) => `${ms(opened[e]!.pageMs! + opened[e]!.checkpointMs!)}${e === 'native' ? ' (WAL: the commit is the write)' : ''}, ${mb(opened[e]!.peakMB!)}`) as [string, string],
      );
    } finally {
      for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nNode ${process.versions.node}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);
  console.log('| Storage engines | node:sqlite (native) | sql.js (wasm) |\n|---|---|---|');
  for (const [what, native, wasm] of rows) console.log(`| ${what} | ${native} | ${wasm} |`);
}

export const benchmark: Benchmark = { name: 'engines', run };
