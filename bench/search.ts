/**
 * Full-text search (src/core/search):
 * - query latency over a vault of 1,000,000 generated messages: a fixed set of
 *   queries (words, phrases, prefixes, exclusions, every filter), each run
 *   several times, p50 / p95 / max over all runs;
 * - what keeping the index costs the archive's ingest: the same pages ingested
 *   with and without the index, alternating rounds, best of each.
 *
 * BENCH_SEARCH_MESSAGES (default 1000000) sets the vault size,
 * BENCH_SEARCH_KEEP=DIR keeps (and on the next run reuses) the built vault.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { PageWriter } from '../src/core/archive/pageWriter';
import { MessageIngest, syncArchive } from '../src/core/archive';
import { DiscordClient } from '../src/core/discord';
import { MediaPool } from '../src/core/media';
import { searchMessages } from '../src/core/search';
import { Vault } from '../src/core/vault';
import { startEmulator } from '../src/emulator';
import { buildVault } from './archive/bigVault';
import { benchmarkWorld, channelHistories } from './archive/generatedHistory';
import { record, type Benchmark } from './run';

const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000);
const CHANNELS = 10;
const SEED = 21;
const MEMBERS = 200;
const RUNS_PER_QUERY = 15;
const INGEST_MESSAGES = 50_000;
const INGEST_ROUNDS = 4;
const SYNC_MESSAGES = 40_000;
const SYNC_ROUNDS = 2;

export const benchmark: Benchmark = {
  name: 'search',
  async run() {
    const rows: [string, string, string][] = [];
    const ingest = await ingestCost(INGEST_MESSAGES, INGEST_ROUNDS, 'page');
    rows.push([
      `Ingest with the index vs without (${fmt(INGEST_MESSAGES)} messages, 1 page of 100 per transaction, best of ${INGEST_ROUNDS})`,
      `${fmt(ingest.withIndex)} vs ${fmt(ingest.without)} messages/s: the index costs **${pct(1 - ingest.withIndex / ingest.without)}** of the rate`,
      '<= 15%',
    ]);
    const batched = await ingestCost(INGEST_MESSAGES, INGEST_ROUNDS, 'pageWriter');
    rows.push([
      `same, through a sync's page writer (16 pages per commit, a savepoint each, their index entries written together)`,
      `${fmt(batched.withIndex)} vs ${fmt(batched.without)} messages/s: **${pct(1 - batched.withIndex / batched.without)}**`,
      '<= 15%',
    ]);
    const sync = await syncCost(SYNC_MESSAGES, SYNC_ROUNDS);
    rows.push([
      `A sync end to end over HTTP, emulator limits off (${fmt(SYNC_MESSAGES)} messages, 8 channels, media off, best of ${SYNC_ROUNDS})`,
      `${fmt(sync.withIndex)} vs ${fmt(sync.without)} messages/s: **${pct(1 - sync.withIndex / sync.without)}**`,
      '<= 15%',
    ]);
    const latency = await queryLatency(rows);
    rows.push([
      `Query latency over ${fmt(MESSAGES)} messages (${latency.queries} queries x ${RUNS_PER_QUERY} runs, 20 results each)`,
      `p50 ${latency.p50.toFixed(1)} ms, **p95 ${latency.p95.toFixed(1)} ms**, max ${latency.max.toFixed(1)} ms`,
      'p95 < 50 ms',
    ]);
    rows.push(['same, without the prefix query', `p95 ${latency.p95WithoutPrefix.toFixed(1)} ms`, 'p95 < 50 ms']);
    // Into bench/results.json (each row stamped with the load), for README's generated table.
    record('search', rows.map(([what, figure, goal]) => ({ what, figure: figure.replace(/\*\*/g, ''), goal })));
    console.log(`\n| Search (load ${os.loadavg()[0]!.toFixed(1)}) | Measured | Goal |\n|---|---|---|`);
    for (const [what, figure, goal] of rows) console.log(`| ${what} | ${figure} | ${goal} |`);
  },
};

/**
 * Messages per second ingested with the index and without it (the index table
 * dropped, so ingest skips it): a transaction per page, or through the sync's
 * own PageWriter (the pages of one channel handed over PAGE_WRITER_BATCH at a time).
 */
async function ingestCost(messages: number, rounds: number, how: 'page' | 'pageWriter'): Promise<{ withIndex: number; without: number }> {
  const [history] = channelHistories(benchmarkWorld(1, messages, 11, MEMBERS));
  const pages: APIMessage[][] = [];
  for (let from = 0; from < history!.count; from += 100) pages.push(history!.page(from, Math.min(history!.count, from + 100)));
  let withIndex = 0;
  let without = 0;
  for (let round = 0; round < rounds; round++) {
    withIndex = Math.max(withIndex, await timedIngest(history!.channelId, pages, how, true));
    without = Math.max(without, await timedIngest(history!.channelId, pages, how, false));
  }
  return { withIndex, without };
}

/** Pages handed to the PageWriter at once: as many as it commits together. */
const PAGE_WRITER_BATCH = 16;

async function timedIngest(channelId: string, pages: APIMessage[][], how: 'page' | 'pageWriter', indexed: boolean): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-search-ingest-'));
  const vault = Vault.open(dir);
  try {
    if (!indexed) vault.db.exec('DROP TABLE search_index');
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1/cdn' });
    const writer = new PageWriter(vault);
    const started = performance.now();
    if (how === 'page') {
      for (const page of pages) vault.transaction(() => ingest.writePage(channelId, page));
    } else {
      for (let i = 0; i < pages.length; i += PAGE_WRITER_BATCH) {
        await Promise.all(pages.slice(i, i + PAGE_WRITER_BATCH).map((page) => writer.write((scope) => ingest.writePage(channelId, page, scope))));
      }
    }
    const count = pages.reduce((sum, page) => sum + page.length, 0);
    return count / ((performance.now() - started) / 1000);
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Messages per second a whole sync archives from the emulator (no rate limits), with the index and without. */
async function syncCost(messages: number, rounds: number): Promise<{ withIndex: number; without: number }> {
  const emu = await startEmulator({ seed: SEED, size: { channels: 8, messagesPerChannel: messages / 8, members: MEMBERS }, rateLimits: false });
  try {
    const guildId = emu.guildIds[0]!;
    const once = async (indexed: boolean): Promise<number> => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-search-sync-'));
      const vault = Vault.open(dir);
      try {
        if (!indexed) vault.db.exec('DROP TABLE search_index');
        const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, globalRequestsPerSecond: 100_000 });
        const started = performance.now();
        const report = await syncArchive(vault, client, guildId, { recheckDays: 0, downloadMedia: false });
        return report.messages.inserted / ((performance.now() - started) / 1000);
      } finally {
        vault.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    let withIndex = 0;
    let without = 0;
    for (let round = 0; round < rounds; round++) {
      withIndex = Math.max(withIndex, await once(true));
      without = Math.max(without, await once(false));
    }
    return { withIndex, without };
  } finally {
    await emu.close();
  }
}

async function queryLatency(rows: [string, string, string][]): Promise<{ queries: number; p50: number; p95: number; max: number; p95WithoutPrefix: number }> {
  const keep = process.env.BENCH_SEARCH_KEEP;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-search-'));
  try {
    if (!fs.existsSync(path.join(dir, 'vault.db'))) {
      const perChannel = Math.ceil(MESSAGES / CHANNELS);
      const started = performance.now();
      let last = 0;
      const built = buildVault(dir, benchmarkWorld(CHANNELS, perChannel, SEED, MEMBERS), 0, (done) => {
        if (done - last >= 100_000) {
          last = done;
          process.stdout.write(`  built ${fmt(done)} messages\n`);
        }
      });
      const seconds = (performance.now() - started) / 1000;
      rows.push([`Building the ${fmt(built)}-message vault (ingest with the index, 1,000 per transaction)`, `${seconds.toFixed(0)} s, ${fmt(built / seconds)} messages/s`, '']);
    }
    const vault = Vault.open(dir, { mode: 'read' });
    try {
      const queries = querySet(vault);
      const times: number[] = [];
      /** The same without prefix queries (word*): FTS5 merges every matching word's list for those. */
      const withoutPrefix: number[] = [];
      console.log('| Query | results | median ms | max ms |\n|---|---|---|---|');
      for (const query of queries) {
        const own: number[] = [];
        let hits = 0;
        for (let run = 0; run < RUNS_PER_QUERY; run++) {
          const started = performance.now();
          const result = searchMessages(vault, query, { limit: 20 });
          own.push(performance.now() - started);
          hits = result.hits.length;
          if (result.problems.length) throw new Error(`${query}: ${result.problems.join(' ')}`);
        }
        times.push(...own);
        if (!query.includes('*')) withoutPrefix.push(...own);
        console.log(`| \`${query}\` | ${hits} | ${quantile(own, 0.5).toFixed(2)} | ${Math.max(...own).toFixed(2)} |`);
      }
      const size = fs.statSync(path.join(dir, 'vault.db')).size;
      const index = vault.db.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'search_index%'").get() as { bytes: number | null } | undefined;
      rows.push(['Vault size, and the index in it', `${(size / 1e6).toFixed(0)} MB; index ${index?.bytes ? `${(index.bytes / 1e6).toFixed(0)} MB` : 'n/a'}`, '']);
      return { queries: queries.length, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times), p95WithoutPrefix: quantile(withoutPrefix, 0.95) };
    } finally {
      vault.close();
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixed query set: what people type, against the generator's vocabulary, users and dates. */
function querySet(vault: Vault): string[] {
  const user = (vault.db.prepare('SELECT username FROM users ORDER BY id LIMIT 1 OFFSET 7').get() as { username: string }).username;
  const channel = (vault.db.prepare('SELECT name FROM archive_channels ORDER BY id LIMIT 1 OFFSET 3').get() as { name: string }).name;
  const bounds = vault.db.prepare('SELECT CAST(min(id) AS TEXT) AS first, CAST(max(id) AS TEXT) AS last FROM messages').get() as { first: string; last: string };
  const time = (id: string) => Number((BigInt(id) >> 22n) + 1420070400000n);
  const middle = new Date((time(bounds.first) + time(bounds.last)) / 2).toISOString().slice(0, 10);
  const month = middle.slice(0, 7);
  return [
    'kiln',
    'kiln glaze',
    'solder board firmware',
    '"broken again"',
    'work*',
    'tutor',
    'zyzzyva',
    'kiln -glaze',
    `update from:${user}`,
    `from:${user}`,
    `in:${channel} release`,
    `in:${channel}`,
    'has:file',
    'has:image sketch',
    'has:link',
    `feedback before:${middle}`,
    `palette after:${middle}`,
    `during:${month} meetup`,
    'pinned:true',
    'thanks pinned:false',
    '日本語',
    '🎉',
  ];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
