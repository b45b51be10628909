/**
 * One sync in a process of its own, so its peak memory (maxRSS) is the sync's
 * alone, not the emulator's or the benchmark's. The process plays VS Code's
 * extension host: it runs the sync through the same JobWorkers the extension
 * uses (the engine in a worker thread) and measures how long its own thread,
 * which only relays progress, is ever blocked. Prints one JSON line.
 */
import { Job } from '../../src/core/job';
import { JobWorkers } from '../../src/workers/jobWorkerHost';
import { watchEventLoop } from './eventLoopStall';
import { watchThreadCpu } from './threadCpu';

export interface SyncChildResult {
  inserted: number;
  channels: number;
  requests: number;
  ms: number;
  /** The longest stall of this process's main thread (the "extension host") during the job. */
  worstStallMs: number;
  maxRssBytes: number;
  startRssBytes: number;
  sampledPeakBytes: number;
  /** CPU ms of this process's threads by name: the job's ('guild-vault syn'), its HTTP thread's ('guild-vault htt'), V8's... */
  threadCpuMs: Record<string, number>;
}

async function main(): Promise<void> {
  const env = process.env;
  // The bundled worker VS Code runs (bench/archive/shippedWorker.ts); unset: the one from source.
  const workers = new JobWorkers(env.GV_WORKER_ENTRY ? { entry: env.GV_WORKER_ENTRY } : {});
  // As at activation: the launcher that starts job workers runs before anyone asks for a job.
  await workers.ready;
  const startedRss = process.memoryUsage().rss;
  let sampledPeak = 0;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
  // What the extension host does per progress event: nothing heavy, as in VS Code (the runner throttles its redraws).
  let progressEvents = 0;
  const job = new Job({ onProgress: () => progressEvents++ });
  try {
    const stall = watchEventLoop();
    const threads = watchThreadCpu();
    const started = performance.now();
    const report = await workers.run(
      {
        kind: 'sync',
        vaultRoot: env.GV_VAULT_ROOT!,
        params: {
          guildId: env.GV_GUILD!,
          options: {
            recheckDays: Number(env.GV_RECHECK ?? 0),
            // Unset: the product's default (the same as the CLI and VS Code).
            concurrency: env.GV_CONCURRENCY ? Number(env.GV_CONCURRENCY) : undefined,
            maxConcurrency: env.GV_MAX_CONCURRENCY ? Number(env.GV_MAX_CONCURRENCY) : undefined,
            downloadMedia: env.GV_MEDIA === '1',
          },
        },
      },
      // With the emulator's limits off, lift the client's own 50/s pacing too (GV_GLOBAL_RPS).
      { token: env.GV_TOKEN!, apiBaseUrl: env.GV_API!, cdnBaseUrl: env.GV_CDN!, globalRequestsPerSecond: Number(env.GV_GLOBAL_RPS ?? 50) },
      job,
    );
    const ms = performance.now() - started;
    const worstStallMs = stall.stop();
    const threadCpuMs = threads.stop();
    clearInterval(sampler);
    const result: SyncChildResult = {
      inserted: report.messages.inserted,
      channels: report.channels,
      requests: report.requests,
      ms,
      worstStallMs,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      startRssBytes: startedRss,
      sampledPeakBytes: sampledPeak,
      threadCpuMs,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    clearInterval(sampler);
    await workers.dispose();
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
