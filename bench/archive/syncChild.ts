/**
 * One sync in a process of its own, so its peak memory (maxRSS) is the sync's
 * alone, not the emulator's or the benchmark's. Prints one JSON line.
 */
import { syncArchive } from '../../src/core/archive';
import { DiscordClient } from '../../src/core/discord';
import { Vault } from '../../src/core/vault';
import { watchEventLoop } from './eventLoopStall';

export interface SyncChildResult {
  inserted: number;
  channels: number;
  requests: number;
  ms: number;
  worstStallMs: number;
  longestTransactionMs: number;
  maxRssBytes: number;
  startRssBytes: number;
  sampledPeakBytes: number;
}

async function main(): Promise<void> {
  const env = process.env;
  // With the emulator's limits off, lift the client's own 50/s pacing too (GV_GLOBAL_RPS).
  const client = new DiscordClient({ token: env.GV_TOKEN!, apiBaseUrl: env.GV_API!, cdnBaseUrl: env.GV_CDN!, globalRequestsPerSecond: Number(env.GV_GLOBAL_RPS ?? 50) });
  const vault = Vault.open(env.GV_VAULT!, { purpose: 'benchmark sync' });
  const startedRss = process.memoryUsage().rss;
  // The archive's own longest synchronous step: one page written in one transaction.
  let longestTransactionMs = 0;
  const transaction = vault.transaction.bind(vault);
  vault.transaction = <T>(fn: () => T): T => {
    const started = performance.now();
    try {
      return transaction(fn);
    } finally {
      longestTransactionMs = Math.max(longestTransactionMs, performance.now() - started);
    }
  };
  let sampledPeak = 0;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
  try {
    // Warm up the HTTP stack and the modules first: a one-time start-up cost is not a stall of the job.
    await client.getCurrentUser();
    const stall = watchEventLoop();
    const started = performance.now();
    const report = await syncArchive(vault, client, env.GV_GUILD!, {
      recheckDays: Number(env.GV_RECHECK ?? 0),
      // Unset: the product's default (the same as the CLI and VS Code).
      concurrency: env.GV_CONCURRENCY ? Number(env.GV_CONCURRENCY) : undefined,
      maxConcurrency: env.GV_MAX_CONCURRENCY ? Number(env.GV_MAX_CONCURRENCY) : undefined,
      downloadMedia: env.GV_MEDIA === '1',
    });
    const ms = performance.now() - started;
    const worstStallMs = stall.stop();
    clearInterval(sampler);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const result: SyncChildResult = {
      inserted: report.messages.inserted,
      channels: report.channels,
      requests: report.requests,
      ms,
      worstStallMs,
      longestTransactionMs,
      maxRssBytes: maxRss,
      startRssBytes: startedRss,
      sampledPeakBytes: sampledPeak,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    clearInterval(sampler);
    vault.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
