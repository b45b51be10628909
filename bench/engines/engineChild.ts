/**
 * One measurement of bench/engines.ts in its own process, so peak memory is
 * this engine's alone. Reads GV_ENGINE (native|wasm), GV_TASK, GV_SIZE and
 * GV_DIR; prints one JSON line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { MessageIngest } from '../../src/core/archive';
import { MediaPool } from '../../src/core/media';
import { loadState, storeSnapshot } from '../../src/core/snapshots/chain';
import { parseEngineChoice, selectEngine, Vault } from '../../src/core/vault';
import { buildVault } from '../archive/bigVault';
import { engineIngestVersusRaw } from '../archive/ingestRate';
import { benchmarkWorld, channelHistories } from '../archive/generatedHistory';
import { serverAtLimits } from '../snapshots';

export const BENCH_CHANNELS = 10;
export const BENCH_SEED = 7;
export const BENCH_MEMBERS = 200;
/** Messages per channel the build leaves out, for the "open, add a page, checkpoint" step. */
export const LEFT_NEW = 100;

const env = process.env;
const peakMB = () => process.resourceUsage().maxRSS / 1024;
const since = (start: number) => performance.now() - start;

function world(size: number) {
  return benchmarkWorld(BENCH_CHANNELS, Math.ceil(size / BENCH_CHANNELS) + LEFT_NEW, BENCH_SEED, BENCH_MEMBERS);
}

/** Raw insert and ingest rates (50,000 messages, best of 3), and snapshot rebuild of a 100-snapshot chain at Discord's limits. */
function rates(): object {
  const { ingestPerSecond, rawPerSecond } = engineIngestVersusRaw(50_000, 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-engines-chain-'));
  const vault = Vault.open(dir, { purpose: 'bench' });
  try {
    const state = serverAtLimits();
    const roles = [...state.nodes.get('role')!.values()];
    let first = 0;
    for (let step = 0; step < 100; step++) {
      const role = roles[1 + (step % (roles.length - 1))]!;
      role.name = `role renamed ${step}`;
      const stored = storeSnapshot(vault, state, { kind: 'automatic' });
      if (step === 0) first = stored.id;
    }
    const rebuild = (id: number) => {
      const times = Array.from({ length: 3 }, () => {
        const start = performance.now();
        loadState(vault, id);
        return since(start);
      });
      return times.sort((a, b) => a - b)[1]!;
    };
    return { rawPerSecond, ingestPerSecond, rebuildOldestMs: rebuild(first), rebuildNewestMs: rebuild(first + 99) };
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The ingest rate of both engines in one process, rounds alternating, best of
 * `rounds` each: a busy machine slows both alike, so the ratio stays readable.
 */
async function alternating(rounds: number): Promise<object> {
  const best = { native: 0, wasm: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const engine of ['native', 'wasm'] as const) {
      await selectEngine(engine);
      best[engine] = Math.max(best[engine], engineIngestVersusRaw(50_000, 1).ingestPerSecond);
    }
  }
  return { nativeIngestPerSecond: best.native, wasmIngestPerSecond: best.wasm };
}

/** A backup of `size` messages into a new vault, straight through the ingest. */
function build(size: number, dir: string): object {
  const start = performance.now();
  const built = buildVault(dir, world(size), LEFT_NEW);
  return { built, seconds: since(start) / 1000, fileMB: fs.statSync(path.join(dir, 'vault.db')).size / 1024 / 1024, peakMB: peakMB() };
}

/** Opening an existing vault to read and to write, then one more page of messages and the checkpoint that makes it durable. */
function openAndAdd(size: number, dir: string): object {
  let start = performance.now();
  Vault.open(dir, { mode: 'read' }).close();
  const openReadMs = since(start);
  start = performance.now();
  const vault = Vault.open(dir, { purpose: 'bench' });
  const openWriteMs = since(start);
  try {
    const [history] = channelHistories(world(size));
    const page: APIMessage[] = history!.page(history!.count - LEFT_NEW, history!.count);
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1/cdn' });
    start = performance.now();
    vault.transaction(() => ingest.writePage(history!.channelId, page));
    const pageMs = since(start);
    start = performance.now();
    vault.checkpoint();
    const checkpointMs = since(start);
    return { openReadMs, openWriteMs, pageMs, checkpointMs, peakMB: peakMB() };
  } finally {
    vault.close();
  }
}

async function main(): Promise<void> {
  const selection = await selectEngine(parseEngineChoice(env.GV_ENGINE, 'GV_ENGINE'));
  const size = Number(env.GV_SIZE ?? 0);
  const dir = env.GV_DIR ?? '';
  const task = env.GV_TASK;
  const result =
    task === 'idle' ? { peakMB: peakMB() } : task === 'rates' ? rates() : task === 'alternating' ? await alternating(3) : task === 'build' ? build(size, dir) : task === 'open' ? openAndAdd(size, dir) : undefined;
  if (!result) throw new Error(`unknown task ${task}`);
  process.stdout.write(`${JSON.stringify({ engine: selection.engine.name, ...result })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
