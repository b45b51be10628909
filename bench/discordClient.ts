/**
 * The Discord client's own cost and its throughput under Discord's limits,
 * against the emulator:
 * - overhead: one channel of 100,000 messages walked back with rate limits
 *   off and no pacing (what the client and @discordjs/rest add per request),
 *   with the heap after the walk (pages are yielded one by one, never held);
 * - under Discord's limits: four channels walked at the same time and a burst
 *   of independent requests, measuring requests per second against the 50/s
 *   global limit and counting 429s (the goal: none).
 * BENCH_DISCORD_MESSAGES overrides the 100,000.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DiscordClient } from '../src/core/discord';
import { startEmulator } from '../src/emulator';
import type { Benchmark } from './run';

const MESSAGES = Number(process.env.BENCH_DISCORD_MESSAGES ?? 100_000);

/** A garbage collection on demand, without needing --expose-gc on the command line. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function overhead(): Promise<void> {
  const emu = await startEmulator({ seed: 1, size: { channels: 1, messagesPerChannel: MESSAGES }, rateLimits: false });
  try {
    const channelId = emu.world.readableChannelIds(emu.guildIds[0]!)[0]!;
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, globalRequestsPerSecond: 1_000_000 });
    // Baseline: the same walk with bare fetch (emulator, HTTP and JSON only).
    const bareWalk = async () => {
      let before: string | undefined;
      for (;;) {
        const url = `${emu.apiBaseUrl}/v10/channels/${channelId}/messages?limit=100${before ? `&before=${before}` : ''}`;
        const page = (await (await fetch(url, { headers: { Authorization: `Bot ${emu.token}` } })).json()) as { id: string }[];
        if (page.length < 100) return;
        before = page[page.length - 1]!.id;
      }
    };
    let count = 0;
    const clientWalk = async () => {
      count = 0;
      for await (const page of client.messagesBefore(channelId)) count += page.length;
    };
    /** Milliseconds per request of a walk. */
    const timed = async (walk: () => Promise<void>) => {
      emu.requestLog.clear();
      const started = process.hrtime.bigint();
      await walk();
      return Number(process.hrtime.bigint() - started) / 1e6 / emu.requestLog.length;
    };
    // Alternate and keep the best of two: the first walks also warm up the emulator and the JIT.
    const bare: number[] = [];
    const through: number[] = [];
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let round = 0; round < 2; round++) {
      bare.push(await timed(bareWalk));
      through.push(await timed(clientWalk));
    }
    collectGarbage();
    const heapAfter = process.memoryUsage().heapUsed;
    const requests = emu.requestLog.length;
    const perRequest = Math.min(...through);
    const barePerRequest = Math.min(...bare);
    console.log(`walk of ${count.toLocaleString('en-US')} messages (${requests} requests), rate limits off, best of 2:`);
    console.log(`  ${perRequest.toFixed(2)} ms per request through DiscordClient (${((100 / perRequest) * 1000).toFixed(0)} messages/s), ${barePerRequest.toFixed(2)} ms with bare fetch: the client adds ${(perRequest - barePerRequest).toFixed(2)} ms`);
    console.log(`  heap retained after four walks: ${mb(heapAfter - heapBefore)} (${mb(heapBefore)} before, ${mb(heapAfter)} after, both after a GC)`);
  } finally {
    await emu.close();
  }
}

async function underDiscordLimits(): Promise<void> {
  const emu = await startEmulator({ seed: 2, size: { channels: 4, messagesPerChannel: 5_000 }, rateLimits: true });
  try {
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl });
    let waits = 0;
    client.events.on('rateLimited', () => waits++);
    const channels = emu.world.readableChannelIds(emu.guildIds[0]!);
    let started = Date.now();
    const counts = await Promise.all(
      channels.map(async (channelId) => {
        let n = 0;
        for await (const page of client.messagesBefore(channelId)) n += page.length;
        return n;
      }),
    );
    let seconds = (Date.now() - started) / 1000;
    console.log(
      `${channels.length} channels walked at once, Discord's limits (10 message pages/s per channel, 50 requests/s global): ` +
        `${counts.reduce((a, b) => a + b, 0).toLocaleString('en-US')} messages, ${emu.requestLog.length} requests in ${seconds.toFixed(1)} s = ` +
        `${(emu.requestLog.length / seconds).toFixed(1)} requests/s; ${emu.requestLog.count({ status: 429 })} 429s; ${waits} announced waits`,
    );

    emu.requestLog.clear();
    emu.rateLimits.reset();
    const burst = 500;
    started = Date.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => client.get(i % 2 ? '/users/@me' : `/guilds/${emu.guildIds[0]}/roles`)));
    seconds = (Date.now() - started) / 1000;
    console.log(
      `burst of ${burst} independent requests: ${seconds.toFixed(1)} s = ${(burst / seconds).toFixed(1)} requests/s (limit 50); ${emu.requestLog.count({ status: 429 })} 429s`,
    );
  } finally {
    await emu.close();
  }
}

export const benchmark: Benchmark = {
  name: 'discord client',
  async run() {
    await overhead();
    await underDiscordLimits();
  },
};
