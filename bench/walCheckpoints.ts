/**
 * What the background WAL checkpointer (src/core/vault/walCheckpointer.ts)
 * takes off the writer's thread: 100,000 generated messages (BENCH_CHECKPOINT_MESSAGES)
 * written as a sync writes them (the archive's ingest through its PageWriter,
 * 16 pages a commit), with the writer checkpointing in its commits (SQLite's
 * default) and with the background thread; alternating rounds, best of each.
 * The writer's time and the part of it spent in COMMIT are what the job
 * thread of a sync, busy all the time, gets back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { MessageIngest } from '../src/core/archive';
import { PageWriter } from '../src/core/archive/pageWriter';
import { MediaPool } from '../src/core/media';
import { startWalCheckpointer, Vault } from '../src/core/vault';
import { benchmarkWorld, channelHistories } from './archive/generatedHistory';
import { record, type Benchmark } from './run';

const MESSAGES = Number(process.env.BENCH_CHECKPOINT_MESSAGES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_CHECKPOINT_ROUNDS ?? 4);
const PAGES_PER_COMMIT = 16;

interface Timing {
  ms: number;
  commitMs: number;
  /** CPU time of the whole process, both threads. */
  cpuMs: number;
}

export const benchmark: Benchmark = {
  name: 'checkpoints',
  async run() {
    const [history] = channelHistories(benchmarkWorld(1, MESSAGES, 11, 500));
    const pages: APIMessage[][] = [];
    for (let from = 0; from < history!.count; from += 100) pages.push(history!.page(from, Math.min(history!.count, from + 100)));
    const inCommits: Timing[] = [];
    const background: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      inCommits.push(await write(history!.channelId, pages, false));
      background.push(await write(history!.channelId, pages, true));
    }
    const best = (runs: Timing[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const range = (runs: Timing[]) => `${Math.min(...runs.map((r) => r.commitMs)).toFixed(0)} to ${Math.max(...runs.map((r) => r.commitMs)).toFixed(0)} ms`;
    const figure = (runs: Timing[]) => `${(best(runs).ms / 1000).toFixed(2)} s (CPU of both threads ${(best(runs).cpuMs / 1000).toFixed(2)} s); COMMIT ${range(runs)}`;
    const rows = [
      { what: `${MESSAGES.toLocaleString('en-US')} messages through the sync's page writer, checkpoints in the writer's commits (SQLite's default), best of ${ROUNDS}`, figure: figure(inCommits) },
      { what: `same, checkpoints on the background thread`, figure: `${figure(background)}: the writer ${((1 - best(background).ms / best(inCommits).ms) * 100).toFixed(0)}% faster` },
    ];
    record('checkpoints', rows);
    console.log(`| WAL checkpoints (load ${os.loadavg()[0]!.toFixed(1)}) | Measured |\n|---|---|`);
    for (const row of rows) console.log(`| ${row.what} | ${row.figure} |`);
  },
};

async function write(channelId: string, pages: APIMessage[][], inBackground: boolean): Promise<Timing> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-checkpoints-'));
  const vault = Vault.open(dir);
  try {
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1/cdn' });
    const checkpoints = inBackground ? startWalCheckpointer(vault) : undefined;
    const writer = new PageWriter(vault, { afterCommit: () => checkpoints?.nudge() });
    let commitMs = 0;
    const exec = vault.db.exec.bind(vault.db);
    (vault.db as { exec(sql: string): void }).exec = (sql) => {
      if (sql !== 'COMMIT') return exec(sql);
      const started = performance.now();
      exec(sql);
      commitMs += performance.now() - started;
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < pages.length; i += PAGES_PER_COMMIT) {
      await Promise.all(pages.slice(i, i + PAGES_PER_COMMIT).map((page) => writer.write((scope) => ingest.writePage(channelId, page, scope))));
    }
    const ms = performance.now() - started;
    await checkpoints?.stop();
    const used = process.cpuUsage(cpu);
    return { ms, commitMs, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
