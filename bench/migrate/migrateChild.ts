/**
 * One migration in its own process, for bench/migrate.ts: its memory and event
 * loop are its own, and the emulator (in the benchmark process) does not count.
 * Prints one JSON line: messages sent, time, resident memory at the start, the
 * peak, and samples every second.
 */
import * as v8 from 'node:v8';
import { DiscordClient } from '../../src/core/discord';
import { migrateMessages } from '../../src/core/migrate';
import { Job } from '../../src/core/job';
import { VaultStore } from '../../src/core/vault';

export interface MigrateChildResult {
  sent: number;
  failed: number;
  ms: number;
  startRssMB: number;
  maxRssMB: number;
  /** [messages sent so far, RSS in MB], once a second. */
  samples: Array<[number, number]>;
}

const env = process.env;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const client = new DiscordClient({ token: env.GV_TOKEN!, apiBaseUrl: env.GV_API!, cdnBaseUrl: env.GV_CDN!, globalRequestsPerSecond: Number(env.GV_GLOBAL ?? 50) });
const vault = new VaultStore(env.GV_VAULTS!).open(env.GV_SOURCE!, { purpose: 'benchmark' });
const startRssMB = mb(process.memoryUsage().rss);
let sent = 0;
const samples: Array<[number, number]> = [];
const sampler = setInterval(() => {
  samples.push([sent, mb(process.memoryUsage().rss)]);
  if (env.GV_HEAP_LOG) process.stderr.write(`heap ${sent} ${heapLine()}\n`);
}, 1000);
const started = Date.now();

/** RSS, the heap used/committed, and V8's new and old space used/committed: where the memory is. */
function heapLine(): string {
  const m = process.memoryUsage();
  const space = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name);
  const split = ['new_space', 'old_space'].map((name) => `${name}=${mb(space(name)?.space_used_size ?? 0)}/${mb(space(name)?.space_size ?? 0)}`).join(' ');
  return `rss=${mb(m.rss)} heap=${mb(m.heapUsed)}/${mb(m.heapTotal)} ${split} ext=${mb(m.external)} ab=${mb(m.arrayBuffers)}`;
}
migrateMessages(vault, client, {
  targetGuildId: env.GV_TARGET!,
  concurrency: Number(env.GV_CONCURRENCY ?? 50),
  messagesPerChannelPerMinute: Number(env.GV_PER_MINUTE ?? 30),
  since: env.GV_SINCE ? new Date(Number(env.GV_SINCE)) : undefined,
}, new Job({ onProgress: (p) => (sent = p.messages ?? sent) })).then(
  (report) => {
    clearInterval(sampler);
    const result: MigrateChildResult = { sent: report.sent, failed: report.failed.length, ms: Date.now() - started, startRssMB, maxRssMB: mb(process.resourceUsage().maxRSS * 1024), samples };
    vault.close();
    client.dispose();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
  (error) => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  },
);
