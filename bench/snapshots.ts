/**
 * Snapshot chain at Discord's limits: 250 roles, 500 channels, 10,000 bans,
 * overwrites on most channels. Measures creating snapshots, rebuilding the
 * oldest and the newest of a 1,000-snapshot chain, and what an unchanged
 * snapshot adds to the file; then a live capture against the emulator with
 * its rate limits on, when the emulator can generate such a server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { canonicalJson } from '../src/core/snapshots/canonical';
import { DiscordClient } from '../src/core/discord';
import { captureLiveState } from '../src/core/snapshots/capture/captureLiveState';
import { deleteSnapshot, listSnapshots, loadState, pruneSnapshots, storeSnapshot } from '../src/core/snapshots/chain';
import { startEmulator } from '../src/emulator';
import { NODE_TYPES, type NodeData, type NodeType, type StructureState } from '../src/core/snapshots/types';
import { Vault } from '../src/core/vault';
import type { Benchmark } from './run';

const GUILD = '900000000000000000';
const CHAIN = Number(process.env.BENCH_SNAPSHOT_CHAIN ?? 1000);

function id(kind: number, n: number): string {
  return String(BigInt('1000000000000000000') + BigInt(kind) * 100_000_000n + BigInt(n));
}

/** A server at Discord's limits, with node data shaped like the API's. */
export function serverAtLimits(): StructureState {
  const nodes = new Map<NodeType, Map<string, NodeData>>();
  const put = (type: NodeType, key: string, data: NodeData) => {
    if (!nodes.has(type)) nodes.set(type, new Map());
    nodes.get(type)!.set(key, data);
  };
  put('guild', GUILD, { id: GUILD, name: 'Limits', description: 'A server at the limits', verification_level: 2, default_message_notifications: 1, explicit_content_filter: 2, features: ['COMMUNITY', 'NEWS'], afk_timeout: 300, preferred_locale: 'en-US', premium_tier: 3, system_channel_flags: 0, nsfw_level: 0, mfa_level: 1, owner_id: id(9, 1) });
  const roleIds = [GUILD, ...Array.from({ length: 249 }, (_, i) => id(1, i))];
  roleIds.forEach((roleId, i) =>
    put('role', roleId, { id: roleId, name: i === 0 ? '@everyone' : `role-${i}`, color: (i * 2654435761) & 0xffffff, colors: { primary_color: (i * 2654435761) & 0xffffff, secondary_color: null, tertiary_color: null }, hoist: i % 7 === 0, icon: null, unicode_emoji: null, position: i, permissions: String(BigInt(i * 1_234_567) & 0x7ffffffffffn), managed: i % 50 === 1, mentionable: i % 3 === 0, flags: 0, tags: i % 50 === 1 ? { bot_id: id(8, i) } : undefined }),
  );
  let channel = 0;
  for (let c = 0; c < 50; c++) {
    const categoryId = id(2, channel++);
    put('channel', categoryId, { id: categoryId, name: `category-${c}`, type: 4, position: c, flags: 0 });
    for (let k = 0; k < 9; k++) {
      const channelId = id(2, channel++);
      const type = [0, 0, 0, 2, 5, 13, 15, 0, 2][k];
      put('channel', channelId, { id: channelId, name: `channel-${c}-${k}`, type, position: k, parent_id: categoryId, topic: type === 2 ? undefined : `Topic of channel ${c}-${k}: what it is for.`, nsfw: false, rate_limit_per_user: k, bitrate: type === 2 ? 64000 : undefined, user_limit: type === 2 ? 10 : undefined, rtc_region: null, flags: 0 });
      if (k % 5 !== 4) {
        // Overwrites on most channels: @everyone and two roles.
        for (const target of [GUILD, roleIds[1 + ((c * 9 + k) % 249)], roleIds[1 + ((c * 9 + k + 100) % 249)]]) {
          put('overwrite', `${channelId}/${target}`, { channel_id: channelId, id: target, type: 0, allow: String(1 << 11), deny: String(1 << 10) });
        }
      }
    }
  }
  for (let b = 0; b < 10_000; b++) put('ban', id(3, b), { user: { id: id(3, b), username: `banned_user_${b}` }, reason: b % 3 ? `spam wave ${b % 17}` : null });
  for (let e = 0; e < 250; e++) put('emoji', id(4, e), { id: id(4, e), name: `emoji_${e}`, roles: [], require_colons: true, managed: false, animated: e % 5 === 0, available: true });
  const status: StructureState['status'] = {};
  for (const type of NODE_TYPES) status[type] = 'ok';
  return { guildId: GUILD, nodes, status };
}

/** A few edits a moderator would make between two snapshots. */
function edit(state: StructureState, step: number): void {
  const roles = state.nodes.get('role')!;
  const roleId = id(1, step % 249);
  roles.set(roleId, { ...roles.get(roleId)!, color: step & 0xffffff });
  const channels = state.nodes.get('channel')!;
  const channelId = id(2, 1 + (step % 449));
  if (channels.has(channelId)) channels.set(channelId, { ...channels.get(channelId)!, topic: `edited at step ${step}` });
  const bans = state.nodes.get('ban')!;
  bans.set(id(5, step), { user: { id: id(5, step), username: `raider_${step}` }, reason: 'raid' });
  bans.delete(id(3, step % 10_000));
}

function time<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function fileBytes(vault: Vault): number {
  vault.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  return fs.statSync(vault.dbPath).size;
}

/**
 * A live capture of a server at the limits from the emulator with Discord's
 * rate limits on (50 requests/s global, per-route buckets).
 */
async function captureAtLimits(rows: [string, string][]): Promise<void> {
  const emu = await startEmulator({ seed: 9, size: { channels: 499, messagesPerChannel: 1, members: 200, bans: 10_000 } });
  try {
    const guildId = emu.guildIds[0];
    const guild = emu.world.guild(guildId)!;
    // The generator makes few roles and no overwrites on plain channels: add them in its ground truth.
    const template = [...guild.roles.values()].find((role) => role.id !== guildId && !role.managed) ?? [...guild.roles.values()][0];
    for (let i = guild.roles.size; i < 250; i++) {
      const roleId = id(6, i);
      guild.roles.set(roleId, { ...template, id: roleId, name: `role-${i}`, position: 1, managed: false, tags: undefined, color: i * 997 });
    }
    const roleIds = [...guild.roles.keys()].filter((roleId) => roleId !== guildId);
    let n = 0;
    for (const channel of guild.channels.values()) {
      if (n++ % 5 === 4) continue;
      channel.permission_overwrites = [
        { id: guildId, type: 0, allow: '0', deny: String(1 << 11) },
        { id: roleIds[n % roleIds.length], type: 0, allow: String(1 << 11), deny: '0' },
        { id: roleIds[(n + 7) % roleIds.length], type: 0, allow: String(1 << 13), deny: '0' },
      ] as never;
    }
    for (const archivedThreads of [true, false]) {
      const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
      emu.rateLimits.reset();
      emu.requestLog.clear();
      const start = process.hrtime.bigint();
      const state = await captureLiveState(client, guildId, { archivedThreads });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const counts = ['role', 'channel', 'overwrite', 'ban', 'member'].map((type) => `${state.nodes.get(type as NodeType)?.size ?? 0} ${type}s`).join(', ');
      const requests = emu.requestLog.length;
      const limited = emu.requestLog.filter((entry) => entry.status === 429).length;
      const what = archivedThreads ? `capture a server at the limits, emulator with rate limits on (${counts})` : 'the same, active threads only (--active-threads-only)';
      rows.push([what, `${(ms / 1000).toFixed(2)} s, ${requests} requests (${limited} answered 429)`]);
    }
  } finally {
    await emu.close();
  }
}

async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-snap-'));
  const vault = Vault.open(dir, { purpose: 'bench' });
  const rows: [string, string][] = [];
  await captureAtLimits(rows);
  try {
    const state = serverAtLimits();
    const counts = [...state.nodes].map(([type, m]) => `${m.size} ${type}`).join(', ');
    console.log(`server: ${counts}`);
    const [first, firstMs] = time(() => storeSnapshot(vault, state, { kind: 'manual' }));
    rows.push(['create the first (full) snapshot', `${firstMs.toFixed(0)} ms (${first.summary.created.toLocaleString('en-US')} nodes)`]);
    const base = fileBytes(vault);
    rows.push(['vault size after it', `${(base / 1024 / 1024).toFixed(2)} MB`]);

    const createTimes: number[] = [];
    for (let step = 1; step < CHAIN; step++) {
      edit(state, step);
      createTimes.push(time(() => storeSnapshot(vault, state, { kind: 'automatic' }))[1]);
    }
    rows.push([`create a snapshot with 4 changes (median of ${createTimes.length})`, `${median(createTimes).toFixed(1)} ms`]);
    const newest = first.id + CHAIN - 1;
    const rebuild = (snapshot: number) => median(Array.from({ length: 5 }, () => time(() => loadState(vault, snapshot))[1]));
    const oldestMs = rebuild(first.id);
    const newestMs = rebuild(newest);
    rows.push([`rebuild snapshot #1 of ${CHAIN} (median of 5)`, `${oldestMs.toFixed(0)} ms`]);
    rows.push([`rebuild snapshot #${CHAIN} of ${CHAIN} (median of 5)`, `${newestMs.toFixed(0)} ms (${(Math.max(oldestMs, newestMs) / Math.min(oldestMs, newestMs)).toFixed(2)}x; goal within 2x)`]);

    const before = fileBytes(vault);
    const unchanged = 100;
    for (let i = 0; i < unchanged; i++) storeSnapshot(vault, state, { kind: 'automatic' });
    const afterAutomatic = fileBytes(vault);
    rows.push([`bytes an unchanged automatic snapshot adds (${unchanged} taken)`, `${Math.round((afterAutomatic - before) / unchanged)} B (not stored: the newest snapshot's last-checked time moves)`]);
    for (let i = 0; i < unchanged; i++) storeSnapshot(vault, state, { kind: 'manual' });
    const after = fileBytes(vault);
    const row = vault.db.prepare('SELECT avg(length(kind) + length(created_at) + length(capture_status) + 40) AS bytes FROM snapshots').get() as { bytes: number };
    rows.push([`bytes an unchanged manual snapshot adds (file growth over ${unchanged} / ${unchanged})`, `${Math.round((after - afterAutomatic) / unchanged)} B (goal < 1 KB; its row holds ~${Math.round(row.bytes)} B)`]);
    rows.push([`vault size with ${CHAIN + unchanged} snapshots (${unchanged} unchanged manual ones)`, `${(after / 1024 / 1024).toFixed(2)} MB`]);
    const [pruned, pruneMs] = time(() => pruneSnapshots(vault, 30));
    rows.push([`prune to the newest 30 (${pruned.length} merged forward, one transaction)`, `${pruneMs.toFixed(0)} ms`]);
    const [, deleteMs] = time(() => deleteSnapshot(vault, listSnapshots(vault).at(-1)!.id));
    rows.push(['delete the first snapshot (its 12,000 nodes move into the next)', `${deleteMs.toFixed(0)} ms`]);
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  partialUpdates(rows);
  compression(rows);
  console.log('| measure | result |\n|---|---|');
  for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
}

/** A hundred edits across roles, channels, overwrites and bans. */
function editMany(state: StructureState, step: number): void {
  for (let i = 0; i < 25; i++) edit(state, step * 25 + i);
}

/**
 * Bytes a snapshot adds with field-level patches against storing changed nodes whole (the format
 * before patches), for 4 and for 100 changes, measured as file growth over a chain of them.
 */
function partialUpdates(rows: [string, string][]): void {
  for (const [changes, editStep, count] of [
    [4, edit, 200],
    [100, editMany, 40],
  ] as const) {
    const bytes: Record<string, number> = {};
    for (const patches of [false, true]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-patch-'));
      const vault = Vault.open(dir, { purpose: 'bench' });
      try {
        const state = serverAtLimits();
        storeSnapshot(vault, state, { kind: 'manual', patches });
        for (let step = 1; step <= 20; step++) {
          editStep(state, step);
          storeSnapshot(vault, state, { kind: 'manual', patches });
        }
        const start = fileBytes(vault);
        for (let step = 21; step < 21 + count; step++) {
          editStep(state, step);
          storeSnapshot(vault, state, { kind: 'manual', patches });
        }
        bytes[String(patches)] = (fileBytes(vault) - start) / count;
        if (patches) {
          const [, oldest] = time(() => loadState(vault, 1));
          const [, newest] = time(() => loadState(vault, 21 + count - 1));
          rows.push([`rebuild #1 vs #${21 + count - 1} of a chain of ${changes}-change snapshots with patches`, `${oldest.toFixed(0)} vs ${newest.toFixed(0)} ms`]);
        }
      } finally {
        vault.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push([`bytes a snapshot with ${changes} changes adds: whole nodes → field-level patches (${count} snapshots)`, `${Math.round(bytes.false)} B → ${Math.round(bytes.true)} B (${Math.round((1 - bytes.true / bytes.false) * 100)}% less)`]);
  }
}

/**
 * Whether compressing node payloads pays: bytes saved over the whole server against the time a
 * rebuild would spend inflating them. Measured, not adopted unless it pays (see README).
 */
function compression(rows: [string, string][]): void {
  const state = serverAtLimits();
  const payloads: Buffer[] = [];
  for (const nodes of state.nodes.values()) for (const node of nodes.values()) payloads.push(Buffer.from(canonicalJson(node)));
  const raw = payloads.reduce((sum, p) => sum + p.length, 0);
  for (const [name, deflate, inflate] of [
    ['deflate', (b: Buffer) => zlib.deflateRawSync(b), (b: Buffer) => zlib.inflateRawSync(b)],
    ['brotli', (b: Buffer) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }), (b: Buffer) => zlib.brotliDecompressSync(b)],
  ] as const) {
    const packed = payloads.map((p) => deflate(p));
    const size = packed.reduce((sum, p) => sum + p.length, 0);
    const inflateMs = median(Array.from({ length: 5 }, () => time(() => packed.forEach((p) => inflate(p)))[1]));
    rows.push([`per-node ${name} of ${payloads.length.toLocaleString('en-US')} node payloads`, `${(raw / 1024).toFixed(0)} KB → ${(size / 1024).toFixed(0)} KB (${Math.round((1 - size / raw) * 100)}% less), +${inflateMs.toFixed(0)} ms per full rebuild`]);
  }
  const whole = zlib.brotliCompressSync(Buffer.concat(payloads), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  rows.push(['the same payloads compressed as one stream (what a bundle does)', `${(raw / 1024).toFixed(0)} KB → ${(whole / 1024).toFixed(0)} KB (${Math.round((1 - whole / raw) * 100)}% less)`]);
}

export const benchmark: Benchmark = { name: 'snapshots', run };
