import type { APIMessage } from 'discord-api-types/v10';
import { compareSnowflakes, type DiscordClient } from '../discord';
import type { Vault } from '../vault';
import type { ArchiveChannels } from './archivedChannels';
import type { DiscoveredChannel } from './discovery';
import type { MessageIngest, PageCounts } from './ingest';
import type { PageWriter } from './pageWriter';

/** Discord's largest page of messages. */
export const PAGE_SIZE = 100;

export interface ChannelSyncContext {
  vault: Vault;
  /** The archive_channels store: cursors and statuses. */
  channels: ArchiveChannels;
  client: DiscordClient;
  ingest: MessageIngest;
  /** Shares commits between the channels being fetched at the same time. */
  writer: PageWriter;
  signal?: AbortSignal;
  /** Lowest message id of the recheck window (re-read to record edits, deletions, reactions); undefined: no recheck. */
  recheckFromId?: string;
  /** Called after each stored page. */
  onPage?: (channel: DiscoveredChannel, counts: PageCounts & { deleted: number }) => void;
}

export interface ChannelSyncResult {
  inserted: number;
  changed: number;
  deleted: number;
  contentMissing: number;
  /** True when Discord's last_message_id showed nothing new and no recheck was due: no request made. */
  unchanged: boolean;
  /** Set when the channel looked unreadable although its permissions seemed fine. */
  problem?: string;
}

/**
 * Brings one channel's archive up to date. First the walk back to the first
 * message (resumed from where an earlier run stopped), then everything newer
 * than the newest archived id, re-reading the recheck window on the way. Each
 * page is stored in one transaction together with the cursor that follows it,
 * so a cancel or a kill at any moment loses nothing and repeats nothing.
 */
export async function syncChannel(ctx: ChannelSyncContext, channel: DiscoveredChannel): Promise<ChannelSyncResult> {
  const result: ChannelSyncResult = { inserted: 0, changed: 0, deleted: 0, contentMissing: 0, unchanged: false };
  const tally = (counts: PageCounts, deleted: number) => {
    result.inserted += counts.inserted;
    result.changed += counts.changed;
    result.contentMissing += counts.contentMissing;
    result.deleted += deleted;
    ctx.onPage?.(channel, { ...counts, deleted });
  };
  const wasBackfilled = ctx.channels.cursor(channel.id).backfillDone;
  if (!wasBackfilled) {
    const problem = await walkBack(ctx, channel, tally);
    if (problem) return { ...result, problem };
  }
  const state = ctx.channels.cursor(channel.id);
  const recheckFrom = wasBackfilled && state.newest && ctx.recheckFromId && compareSnowflakes(ctx.recheckFromId, state.newest) < 0 ? ctx.recheckFromId : undefined;
  const nothingNew = !channel.mustFetch && (channel.lastMessageId === null || (state.newest !== null && compareSnowflakes(channel.lastMessageId, state.newest) <= 0));
  if (nothingNew && !recheckFrom) {
    result.unchanged = wasBackfilled;
  } else {
    await walkForward(ctx, channel, recheckFrom ?? state.newest ?? '0', recheckFrom !== undefined, tally);
  }
  // Pins change without new messages; Discord's last_pin_timestamp tells when. The
  // first walk saw every message's pinned flag already, so it only notes the stamp.
  if (wasBackfilled && channel.lastPinTimestamp !== ctx.channels.pinsSeen(channel.id)) tally(await syncPins(ctx, channel), 0);
  ctx.channels.synced(channel.id, channel.lastPinTimestamp);
  return result;
}

/**
 * Reads the channel's pinned messages (GET /channels/{id}/messages/pins, pages of
 * 50 by pin time) and brings the archive's pinned flags in line: newly pinned
 * messages are updated through the ingest (earlier version kept), unpinned ones
 * get pinned = false in their stored object, the earlier one kept as a version.
 */
async function syncPins(ctx: ChannelSyncContext, channel: DiscoveredChannel): Promise<PageCounts> {
  const pinned: APIMessage[] = [];
  for await (const page of ctx.client.pinnedMessages(channel.id, { signal: ctx.signal })) pinned.push(...page);
  const { vault, ingest } = ctx;
  return vault.transaction(() => {
    const ids = new Set(pinned.map((m) => m.id));
    const known = pinned.filter((m) => vault.db.prepare('SELECT 1 FROM messages WHERE id = ?').get(m.id) !== undefined);
    const counts = ingest.writePage(channel.id, known);
    const stale = vault.db.prepare('SELECT CAST(id AS TEXT) AS id, raw FROM messages WHERE channel_id = ? AND pinned = 1').all(channel.id) as { id: string; raw: string }[];
    const unpinned = stale.filter((row) => !ids.has(row.id)).map((row) => ({ ...(JSON.parse(row.raw) as APIMessage), pinned: false }));
    counts.changed += ingest.writePage(channel.id, unpinned).changed;
    return counts;
  });
}

/** The first backup's walk from the newest message (or the resume point) back to the first one. */
async function walkBack(ctx: ChannelSyncContext, channel: DiscoveredChannel, tally: (counts: PageCounts, deleted: number) => void): Promise<string | undefined> {
  const { channels, ingest } = ctx;
  const start = channels.cursor(channel.id).before ?? undefined;
  let pages = 0;
  for await (const page of prefetching(ctx.client.messagesBefore(channel.id, start, { signal: ctx.signal, limit: PAGE_SIZE }))) {
    pages++;
    const { min, max } = idRange(page);
    const counts = await ctx.writer.write((scope) => {
      const counts = ingest.writePage(channel.id, page, scope);
      channels.walkedBack(channel.id, { min, max, inserted: counts.inserted, contentMissing: counts.contentMissing });
      return counts;
    });
    tally(counts, 0);
  }
  if (pages === 0 && start === undefined && channel.lastMessageId !== null) {
    // Discord lists a last message but returned none: that is what a missing
    // READ_MESSAGE_HISTORY looks like. Never record such a channel as empty.
    const problem = 'Discord returned no messages although the channel has some: the bot probably lacks Read Message History here.';
    channels.failed(channel.id, 'no-history', problem);
    return problem;
  }
  channels.backfilled(channel.id);
  return undefined;
}

/**
 * Everything newer than `from`. Discord returns each page newest first even with
 * `after`; the next cursor is the page's greatest id. With `recheck`, archived
 * messages in the range a page covers that Discord did not return are marked deleted.
 */
async function walkForward(ctx: ChannelSyncContext, channel: DiscoveredChannel, from: string, recheck: boolean, tally: (counts: PageCounts, deleted: number) => void): Promise<void> {
  const { vault, channels, ingest } = ctx;
  let cursor = from;
  let lastPageFull = true;
  for await (const page of prefetching(ctx.client.messagesAfter(channel.id, from, { signal: ctx.signal, limit: PAGE_SIZE }))) {
    const { max } = idRange(page);
    const full = page.length >= PAGE_SIZE;
    const pageStart = cursor;
    const { counts, deleted } = await ctx.writer.write((scope) => {
      const counts = ingest.writePage(channel.id, page, scope);
      // A full page covers (cursor, max]; a short one is the end of the channel.
      const deleted = recheck ? ingest.markDeleted(channel.id, pageStart, full ? max : undefined, new Set(page.map((m) => m.id))) : 0;
      channels.walkedForward(channel.id, { max, inserted: counts.inserted, contentMissing: counts.contentMissing });
      return { counts, deleted };
    });
    tally(counts, deleted);
    cursor = max;
    lastPageFull = full;
  }
  // No page at all although Discord reports a newer message: the list came back
  // empty (what a missing READ_MESSAGE_HISTORY looks like), not a deletion.
  const suspiciouslyEmpty = cursor === from && channel.lastMessageId !== null && compareSnowflakes(channel.lastMessageId, from) > 0;
  if (recheck && lastPageFull && !suspiciouslyEmpty) {
    // The walk ended on an empty page: whatever is archived after the cursor is gone from Discord.
    const deleted = vault.transaction(() => ingest.markDeleted(channel.id, cursor, undefined, new Set()));
    if (deleted > 0) tally({ inserted: 0, changed: 0, contentMissing: 0, mediaRefs: 0 }, deleted);
  }
}

/**
 * The pages of `pages`, asking for the next one as soon as one arrives, so the
 * request is under way while this page is written. The cursor of the next page
 * comes from the page itself, and pages are still written (with their cursors)
 * strictly in order, so resuming after a crash is unaffected: a page fetched
 * but not yet written is simply fetched again.
 */
async function* prefetching<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let pending = pages.next();
  try {
    for (;;) {
      const { value, done } = await pending;
      if (done) return;
      pending = pages.next();
      pending.catch(() => undefined); // a failure is rethrown when it is awaited above
      yield value;
    }
  } finally {
    // Stop the walk when the caller stops early (an error, a cancel): queued after the prefetch.
    void pages.return(undefined).catch(() => undefined);
  }
}

function idRange(page: readonly APIMessage[]): { min: string; max: string } {
  let min = page[0]!.id;
  let max = min;
  for (const message of page) {
    if (compareSnowflakes(message.id, min) < 0) min = message.id;
    if (compareSnowflakes(message.id, max) > 0) max = message.id;
  }
  return { min, max };
}
