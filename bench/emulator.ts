/**
 * The emulator's lazy history: a world of 10 channels x 1,000,000 messages.
 * Measures starting it (time, memory), generating messages (per message, with
 * and without presentation + JSON), and serving pages of 100 over HTTP, with the
 * memory held after walking 100,000 messages (it should not grow with them).
 */
import { startEmulator } from '../src/emulator';
import { presentMessage } from '../src/emulator/routes/present';
import type { Benchmark } from './run';

const CHANNELS = 10;
const PER_CHANNEL = Number(process.env.BENCH_EMULATOR_MESSAGES ?? 1_000_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function run(): Promise<void> {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  const emu = await startEmulator({ seed: 1, size: { channels: CHANNELS, messagesPerChannel: PER_CHANNEL }, rateLimits: false });
  console.log(`start a world of ${(CHANNELS * PER_CHANNEL).toLocaleString('en')} messages: ${(performance.now() - t).toFixed(0)} ms, heap +${mb(process.memoryUsage().heapUsed - heap0)}`);
  try {
    const channelId = emu.world.readableChannelIds(emu.guildIds[0])[0];
    const store = emu.world.messageStore(channelId)!;
    const n = 100_000;
    t = performance.now();
    for (let i = 0; i < n; i++) store.messageAt(i);
    console.log(`generate: ${(((performance.now() - t) * 1000) / n).toFixed(2)} µs per message`);
    t = performance.now();
    for (let i = 0; i < n; i++) JSON.stringify(presentMessage(emu.world, store.messageAt(i)));
    console.log(`generate + present + JSON: ${(((performance.now() - t) * 1000) / n).toFixed(2)} µs per message`);

    const headers = { Authorization: `Bot ${emu.token}` };
    let before = `&before=${store.generatedIdAt(Math.floor(PER_CHANNEL / 2))}`;
    const pages = 1000;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    t = performance.now();
    for (let i = 0; i < pages; i++) {
      const page = (await (await fetch(`${emu.apiBaseUrl}/v10/channels/${channelId}/messages?limit=100${before}`, { headers })).json()) as Array<{ id: string }>;
      before = `&before=${page[page.length - 1].id}`;
    }
    const ms = performance.now() - t;
    global.gc?.();
    console.log(`HTTP pages of 100 (client included): ${(ms / pages).toFixed(2)} ms per page, ${Math.round((pages * 100) / (ms / 1000)).toLocaleString('en')} messages/s`);
    console.log(`heap after walking ${(pages * 100).toLocaleString('en')} messages: ${mb(process.memoryUsage().heapUsed - heapBefore)} more (request log included)`);
  } finally {
    await emu.close();
  }
}

export const benchmark: Benchmark = { name: 'emulator lazy history', run };
