/**
 * Migration benchmarks (figures for README "Performance", Migration table):
 * 1. messages per second through webhooks with Discord's limits on (global
 *    50 requests/s, 5 per 2 s per webhook, 30 webhook messages a minute per
 *    channel), against the ceiling those limits allow for the same work;
 * 2. memory of a migration out of a vault of 1,000,000 archived messages
 *    (limits off, so it runs at the speed of the machine), sampled each second.
 * Each migration runs in a child process (bench/migrate/migrateChild.ts); the
 * emulator, in this process, is the target. The child's heap is bounded as a
 * job worker's is (JOB_WORKER_LIMITS: VS Code runs a migration in one), its
 * young generation at the same size.
 * GV_HEAP_LOG=1 prints the child's heap (new space, old space, external) each second.
 *
 * Sizes: BENCH_MIGRATE_CHANNELS=100, BENCH_MIGRATE_PER_CHANNEL=50 (for 1);
 * BENCH_MIGRATE_VAULT=1000000 archived messages, BENCH_MIGRATE_SEND=200000 of
 * them migrated (the newest; "0" skips 2).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Vault, VaultStore } from '../src/core/vault';
import { recordGuildIdentity } from '../src/core/vault/identity';
import { snowflakeTime } from '../src/core/discord/snowflake';
import { DISCORD_GLOBAL_PER_SECOND, guildSpecsForSize, startEmulator, type Emulator, type GuildSpec } from '../src/emulator';
import { World } from '../src/emulator/world/world';
import { buildVault } from './archive/bigVault';
import { JOB_WORKER_LIMITS } from '../src/workers/jobWorkerHost';
import type { MigrateChildResult } from './migrate/migrateChild';
import { record, type Benchmark } from './run';

const CHANNELS = Number(process.env.BENCH_MIGRATE_CHANNELS ?? 100);
const PER_CHANNEL = Number(process.env.BENCH_MIGRATE_PER_CHANNEL ?? 50);
const VAULT_MESSAGES = Number(process.env.BENCH_MIGRATE_VAULT ?? 1_000_000);
const SEND = Number(process.env.BENCH_MIGRATE_SEND ?? 200_000);
const SEED = 11;
/** Discord's webhook limits, as the emulator applies them. */
const WEBHOOK_BUCKET = { limit: 5, windowMs: 2000 };
const PER_CHANNEL_PER_MINUTE = 30;

type Add = (what: string, figure: string, goal: string) => void;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const benchmark: Benchmark = {
  name: 'migrate',
  async run() {
    const rows: [string, string, string][] = [];
    const add: Add = (what, figure, goal) => {
      rows.push([what, figure, goal]);
      record('migrate', [{ what, figure, goal }]); // as soon as measured, with the load it ran under
      console.log(`${what}: ${figure} (goal: ${goal})`);
    };
    await throughputAtDiscordLimits(add);
    if (SEND > 0) await memoryOutOfBigVault(add);
    console.log('\n| Migration | Measured | Goal |\n|---|---|---|');
    for (const [what, figure, goal] of rows) console.log(`| ${what} | ${figure} | ${goal} |`);
  },
};

/** A plain source server and an empty target with as many channels (the restored structure). */
function specs(channels: number, perChannel: number): GuildSpec[] {
  const [source] = guildSpecsForSize({ channels, messagesPerChannel: perChannel, members: 200 });
  return [source!, { name: 'Migration Target', layout: 'plain', textChannels: channels, messagesPerChannel: 0, members: 2, bans: 0, botOwnsGuild: true }];
}

/**
 * The archive of the emulator's first server, built straight from the same
 * generated messages (no HTTP), and the target's channels mapped as a restore
 * would have mapped them.
 */
function prepareVault(emu: Emulator, channels: number, perChannel: number): { root: string; sourceId: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-migrate-'));
  const sourceId = emu.guildIds[0]!;
  const world = new World({ seed: SEED, guilds: [specs(channels, perChannel)[0]!], messageContent: true, guildMembers: true });
  const dir = new VaultStore(root).dirFor(sourceId);
  fs.mkdirSync(dir, { recursive: true });
  buildVault(dir, world, 0, (done) => done % 100_000 === 0 && process.stdout.write(`  vault: ${fmt(done)} messages\r`));
  const vault = Vault.open(dir, { purpose: 'benchmark map' });
  try {
    recordGuildIdentity(vault, { id: sourceId, name: 'Benchmark Server' });
    const byPosition = (guildId: string) => [...emu.world.guild(guildId)!.channels.values()].filter((c) => c.type === 0).sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const source = byPosition(sourceId);
    const target = byPosition(emu.guildIds[1]!);
    const archived = new Set((vault.db.prepare('SELECT CAST(id AS TEXT) AS id FROM archive_channels').all() as Array<{ id: string }>).map((r) => r.id));
    if (!source.every((c) => archived.has(c.id))) throw new Error('the built vault is not the emulator\'s server');
    const put = vault.db.prepare("INSERT INTO id_map (kind, source_id, target_guild_id, target_id, created_at) VALUES ('channel', ?, ?, ?, '')");
    vault.transaction(() => source.forEach((c, i) => put.run(c.id, emu.guildIds[1]!, target[i]!.id)));
  } finally {
    vault.close();
  }
  return { root, sourceId };
}

/** The job workers' heap limits as flags for a process (V8's young generation is its two semi-spaces and a third for large objects). */
function jobWorkerHeapFlags(): string[] {
  const { maxYoungGenerationSizeMb: young, maxOldGenerationSizeMb: old } = JOB_WORKER_LIMITS;
  return [...(young ? [`--max-semi-space-size=${Math.floor(young / 3)}`] : []), ...(old ? [`--max-old-space-size=${old}`] : [])];
}

function runChild(emu: Emulator, root: string, sourceId: string, env: Record<string, string>): Promise<MigrateChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...jobWorkerHeapFlags(), '--import', 'tsx', path.join(__dirname, 'migrate', 'migrateChild.ts')], {
      env: { ...process.env, GV_TOKEN: emu.token, GV_API: emu.apiBaseUrl, GV_CDN: emu.cdnBaseUrl, GV_SOURCE: sourceId, GV_TARGET: emu.guildIds[1]!, GV_VAULTS: root, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data) => (out += data));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`migrate child exited with ${code}`))));
  });
}

/**
 * The shortest time Discord's limits allow for the same requests: the global
 * limit over every request made, and per channel its messages at 30 a minute
 * (the first 30 at once, paced by the webhook's own bucket of 5 per 2 s).
 */
function ceilingSeconds(requests: number, perChannel: number): number {
  const global = requests / DISCORD_GLOBAL_PER_SECOND;
  const windows = Math.ceil(perChannel / PER_CHANNEL_PER_MINUTE);
  const inLast = perChannel - (windows - 1) * PER_CHANNEL_PER_MINUTE;
  const channel = (windows - 1) * 60 + Math.max(0, Math.ceil(inLast / WEBHOOK_BUCKET.limit) - 1) * (WEBHOOK_BUCKET.windowMs / 1000);
  return Math.max(global, channel);
}

async function throughputAtDiscordLimits(add: Add): Promise<void> {
  const emu = await startEmulator({ seed: SEED, guilds: specs(CHANNELS, PER_CHANNEL) });
  const { root, sourceId } = prepareVault(emu, CHANNELS, PER_CHANNEL);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a fresh global bucket
    emu.requestLog.clear();
    const run = await runChild(emu, root, sourceId, { GV_CONCURRENCY: String(CHANNELS), GV_PER_MINUTE: String(PER_CHANNEL_PER_MINUTE) });
    const api = emu.requestLog.filter((e) => !e.route.startsWith('cdn:'));
    const ceiling = ceilingSeconds(api.length, PER_CHANNEL);
    const seconds = run.ms / 1000;
    const refused = api.filter((e) => e.status === 429);
    const shared = refused.length;
    if (process.env.BENCH_DEBUG) for (const e of refused) console.log(`  429 ${e.route} ${e.path.replace(/\/[\w-]{40,}/, '/:token')} at +${e.at - api[0]!.at} ms`);
    add(
      `Migration at Discord's limits (${CHANNELS} channels of ${fmt(PER_CHANNEL)} messages at once)`,
      `${fmt(run.sent)} messages in ${fmt(api.length)} requests: ${(run.sent / seconds).toFixed(1)} messages/s, ${(api.length / seconds).toFixed(1)} requests/s; the limits allow ${(run.sent / ceiling).toFixed(1)} messages/s (${ceiling.toFixed(0)} s): **${((ceiling / seconds) * 100).toFixed(1)}%** of the ceiling; ${shared} 429s; ${run.failed} not sent`,
      '>= 90% of the ceiling',
    );
  } finally {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function memoryOutOfBigVault(add: Add): Promise<void> {
  const channels = 10;
  const perChannel = Math.ceil(VAULT_MESSAGES / channels);
  const emu = await startEmulator({ seed: SEED, guilds: specs(channels, perChannel), rateLimits: false });
  const started = Date.now();
  const { root, sourceId } = prepareVault(emu, channels, perChannel);
  console.log(`  vault of ${fmt(VAULT_MESSAGES)} messages built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  try {
    // The newest SEND messages (a time window, as --since gives).
    const store = emu.world.messageStore([...emu.world.guild(sourceId)!.messageStores.keys()][0]!)!;
    const since = snowflakeTime(store.generatedIdAt(Math.max(0, perChannel - Math.ceil(SEND / channels))));
    const run = await runChild(emu, root, sourceId, { GV_CONCURRENCY: String(channels), GV_PER_MINUTE: '0', GV_GLOBAL: '100000', GV_SINCE: String(since) });
    const quarter = (q: number) => run.samples[Math.min(run.samples.length - 1, Math.floor((run.samples.length - 1) * q))] ?? [0, 0];
    add(
      `Peak memory, migrating the newest ${fmt(SEND)} messages of a vault of ${fmt(VAULT_MESSAGES)} (limits off)`,
      `**${run.maxRssMB} MB** max RSS (${run.startRssMB} MB at start; at 25/50/75/100% of the run: ${[0.25, 0.5, 0.75, 1].map((q) => quarter(q)[1]).join(' / ')} MB); ${fmt(run.sent)} messages at ${(run.sent / (run.ms / 1000)).toFixed(0)} messages/s`,
      '< 300 MB, flat',
    );
  } finally {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
