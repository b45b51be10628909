/**
 * One channel's message history, generated lazily.
 *
 * Generated message i (0 = oldest) gets a timestamp in [start + i*step, start + (i+1)*step),
 * so its snowflake is computed, and found again, in O(1): millions of messages cost
 * no memory. Messages posted through the API are appended after them (they are
 * always newer: generated history ends in the past). Deletions and edits of generated
 * messages are kept in small overlays.
 */
import type { APIMessage } from 'discord-api-types/v10';
import { snowflakeAt, timestampOfSnowflake } from '../ids/snowflake';
import { hash32 } from './random';
import type { FileSpec } from '../cdn/files';

/** Builds generated message `index` of a store (pure: same index, same message). */
/** Generated pins sit among this many newest generated messages, so finding pins never walks a huge history. */
export const PIN_WINDOW = 2000;

export type MessageFactory = (store: MessageStore, index: number) => APIMessage;

export interface MessageStoreSpec {
  channelId: string;
  guildId: string;
  /** Unique per store in the world: goes into the id's low bits so ids never collide across channels. */
  ordinal: number;
  count: number;
  startMs: number;
  stepMs: number;
  seedKey: string;
}

export class MessageStore {
  readonly channelId: string;
  readonly guildId: string;
  readonly count: number;
  readonly startMs: number;
  readonly stepMs: number;
  readonly seedKey: string;
  private readonly lowBits: number;
  /** Messages posted through the API, oldest first. */
  readonly posted: APIMessage[] = [];
  /** Replacement objects for edited generated messages (or posted ones, which are edited in place). */
  private readonly overrides = new Map<string, APIMessage>();
  private readonly deleted = new Set<string>();
  private deletedGenerated = 0;
  factory: MessageFactory;
  /** The file behind attachment k of generated message i (the CDN serves its bytes). */
  attachmentFile: (index: number, k: number) => FileSpec | undefined = () => undefined;
  /** When messages were pinned through the API (generated pins date from their message). */
  readonly pinnedAt = new Map<string, string>();
  /** Who reacted, for reactions changed through the API: message id -> emoji key -> user ids. */
  readonly reactionUsers = new Map<string, Map<string, string[]>>();
  /** Generated messages that started a thread: index -> thread id (the thread's id is the message's). */
  readonly threadStarts = new Map<number, string>();

  constructor(spec: MessageStoreSpec, factory: MessageFactory) {
    this.channelId = spec.channelId;
    this.guildId = spec.guildId;
    this.count = spec.count;
    this.startMs = Math.floor(spec.startMs);
    this.stepMs = Math.max(1, Math.floor(spec.stepMs));
    this.seedKey = spec.seedKey;
    // 10 bits worker+process from the ordinal, the rest in the increment's high bits (255,000 stores);
    // the increment's low 4 bits number attachments inside a message (see attachmentId).
    // Worker+process values 0-991 only: 992-1023 (worker 31) belong to structural ids (world.generatedIds).
    this.lowBits = ((spec.ordinal % 992) << 12) | ((Math.floor(spec.ordinal / 992) & 0xff) << 4);
    this.factory = factory;
  }

  /** Timestamp (ms) of generated message i. */
  timestampAt(index: number): number {
    return this.startMs + index * this.stepMs + (hash32(this.seedKey, index) % this.stepMs);
  }

  generatedIdAt(index: number): string {
    return snowflakeAt(this.timestampAt(index), this.lowBits);
  }

  /** Whether generated message i is pinned (decided by its own hash, so pins are found without building messages). */
  generatedPin(index: number): boolean {
    return index >= this.count - PIN_WINDOW && index < this.count && hash32(this.seedKey, index, 'pin') % 1000 < 15;
  }

  /** When a generated pinned message was pinned: an hour after it was posted. */
  generatedPinTime(index: number): string {
    return new Date(this.timestampAt(index) + 3_600_000).toISOString();
  }

  /** Id of attachment k (1-15) of generated message i: same millisecond as the message. */
  attachmentId(index: number, k: number): string {
    return snowflakeAt(this.timestampAt(index), this.lowBits | (k & 0xf));
  }

  /** Index of the generated message whose timestamp bucket contains `id`, or -1 / count when outside. */
  private bucketOf(id: bigint): number {
    const ts = timestampOfSnowflake(id);
    const i = Math.floor((ts - this.startMs) / this.stepMs);
    return Math.min(Math.max(i, -1), this.count);
  }

  /** Generated index of `id` when it is (or was) a generated message of this store, else -1. */
  generatedIndexOf(id: string): number {
    let big: bigint;
    try {
      big = BigInt(id);
    } catch {
      return -1;
    }
    const i = this.bucketOf(big);
    return i >= 0 && i < this.count && this.generatedIdAt(i) === id ? i : -1;
  }

  /** Generated index that attachment id belongs to, with its number k, or undefined. */
  attachmentOwner(attachmentId: string): { index: number; k: number } | undefined {
    const big = BigInt(attachmentId);
    const k = Number(big & 0xfn);
    const i = this.bucketOf(big);
    if (k === 0 || i < 0 || i >= this.count || this.attachmentId(i, k) !== attachmentId) return undefined;
    return { index: i, k };
  }

  /** Number of positions (generated + posted, deleted ones included). */
  get size(): number {
    return this.count + this.posted.length;
  }

  /** How many messages exist now. */
  get liveCount(): number {
    return this.size - this.deleted.size;
  }

  idAt(position: number): string {
    return position < this.count ? this.generatedIdAt(position) : this.posted[position - this.count].id;
  }

  private bigIdAt(position: number): bigint {
    return BigInt(this.idAt(position));
  }

  /** Smallest position whose id is greater than `id` (size when none). */
  firstPositionAfter(id: string): number {
    const x = BigInt(id);
    // Generated part: O(1) from the timestamp, then a step either way for jitter.
    let p = this.bucketOf(x);
    if (p < 0) p = 0;
    if (p < this.count) {
      while (p > 0 && this.bigIdAt(p - 1) > x) p--;
      while (p < this.count && this.bigIdAt(p) <= x) p++;
      if (p < this.count) return p;
    }
    // Posted part: binary search.
    let lo = 0;
    let hi = this.posted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (BigInt(this.posted[mid].id) <= x) lo = mid + 1;
      else hi = mid;
    }
    return this.count + lo;
  }

  /** Position of an existing (not deleted) message, or -1. */
  positionOf(id: string): number {
    if (this.deleted.has(id)) return -1;
    const g = this.generatedIndexOf(id);
    if (g >= 0) return g;
    const p = this.firstPositionAfter((BigInt(id) - 1n).toString());
    return p < this.size && p >= this.count && this.idAt(p) === id ? p : -1;
  }

  isDeleted(position: number): boolean {
    return this.deleted.size > 0 && this.deleted.has(this.idAt(position));
  }

  /** The message at a position, with edits applied (deleted positions are the caller's concern). */
  messageAt(position: number): APIMessage {
    if (position >= this.count) return this.posted[position - this.count];
    if (this.overrides.size > 0) {
      const o = this.overrides.get(this.generatedIdAt(position));
      if (o) return o;
    }
    return this.factory(this, position);
  }

  get(id: string): APIMessage | undefined {
    const p = this.positionOf(id);
    return p < 0 ? undefined : this.messageAt(p);
  }

  /** Up to `limit` existing positions below `end` (exclusive), newest first. */
  positionsBefore(end: number, limit: number): number[] {
    const out: number[] = [];
    for (let p = Math.min(end, this.size) - 1; p >= 0 && out.length < limit; p--) if (!this.isDeleted(p)) out.push(p);
    return out;
  }

  /** Up to `limit` existing positions from `start` upward, oldest first. */
  positionsFrom(start: number, limit: number): number[] {
    const out: number[] = [];
    for (let p = Math.max(start, 0); p < this.size && out.length < limit; p++) if (!this.isDeleted(p)) out.push(p);
    return out;
  }

  /** Existing message ids, oldest first, lazily. */
  *ids(): Generator<string> {
    for (let p = 0; p < this.size; p++) if (!this.isDeleted(p)) yield this.idAt(p);
  }

  /** The newest existing message id, or null. */
  lastMessageId(): string | null {
    const [p] = this.positionsBefore(this.size, 1);
    return p === undefined ? null : this.idAt(p);
  }

  /** Generated messages that were edited, reacted to or pinned through the API. */
  *overriddenMessages(): Generator<APIMessage> {
    for (const m of this.overrides.values()) if (!this.deleted.has(m.id)) yield m;
  }

  // ---- writes ----

  append(message: APIMessage): void {
    this.posted.push(message);
  }

  /** Replaces a message's object (edits, reactions, pins). */
  replace(message: APIMessage): void {
    const p = this.positionOf(message.id);
    if (p < 0) return;
    if (p >= this.count) this.posted[p - this.count] = message;
    else this.overrides.set(message.id, message);
  }

  delete(id: string): boolean {
    const p = this.positionOf(id);
    if (p < 0) return false;
    this.deleted.add(id);
    if (p < this.count) this.deletedGenerated++;
    return true;
  }
}
