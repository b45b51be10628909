/**
 * Pagination over Discord's list routes. Each helper is an async generator of
 * pages, in Discord's order, so callers can write page by page without
 * holding a whole history in memory. A page shorter than the limit ends a
 * walk without asking for an empty page.
 */
import type { APIBan, APIGuildMember, APIMessage, APIThreadChannel, APIUser, RESTAPIPartialCurrentUserGuild, RESTGetAPIChannelThreadsArchivedPublicResult } from 'discord-api-types/v10';
import { errorForBadPage } from './discordApiError';
import type { Query, Route } from './discordClient';
import { compareSnowflakes, isSnowflake } from './snowflake';

/** What pagination needs from the client. */
export interface PageSource {
  /** Named in the error when the pages do not behave like Discord's. */
  readonly apiBaseUrl: string;
  get<T>(route: Route, options?: { query?: Query; signal?: AbortSignal }): Promise<T>;
}

export type ArchivedThreadKind = 'public' | 'private' | 'joined';

interface Signal {
  signal?: AbortSignal;
}

/** Walks back from `before` (exclusive; the newest message when absent) to the channel's first message. */
export async function* messagesBefore(client: PageSource, channelId: string, before: string | undefined, options: Signal & { limit?: number } = {}): AsyncGenerator<APIMessage[]> {
  const limit = clampLimit(options.limit, 100);
  const route: Route = `/channels/${channelId}/messages`;
  let cursor = before;
  for (;;) {
    const page = await client.get<APIMessage[]>(route, { query: { limit, before: cursor }, signal: options.signal });
    if (page.length === 0) return;
    const ids = page.map((message) => message.id);
    requireInRange(client, route, ids, cursor, 'before');
    requireChannel(client, route, page, channelId);
    yield page;
    if (page.length < limit) return;
    cursor = minId(ids);
  }
}

/**
 * Messages newer than `after`. Discord returns each page newest first even
 * with `after`, so the next cursor is the page's greatest id.
 */
export async function* messagesAfter(client: PageSource, channelId: string, after: string, options: Signal & { limit?: number } = {}): AsyncGenerator<APIMessage[]> {
  const limit = clampLimit(options.limit, 100);
  const route: Route = `/channels/${channelId}/messages`;
  const fetchPage = async (cursor: string | undefined) => requireChannel(client, route, await client.get<APIMessage[]>(route, { query: { limit, after: cursor }, signal: options.signal }), channelId);
  yield* ascendingById(client, route, limit, fetchPage, after, (message) => message.id);
}

export function bans(client: PageSource, guildId: string, options: Signal = {}): AsyncGenerator<APIBan[]> {
  const route: Route = `/guilds/${guildId}/bans`;
  return ascendingById(client, route, 1000, (after) => client.get<APIBan[]>(route, { query: { limit: 1000, after }, signal: options.signal }), undefined, (ban) => ban.user.id);
}

export function members(client: PageSource, guildId: string, options: Signal = {}): AsyncGenerator<APIGuildMember[]> {
  const route: Route = `/guilds/${guildId}/members`;
  return ascendingById(client, route, 1000, (after) => client.get<APIGuildMember[]>(route, { query: { limit: 1000, after }, signal: options.signal }), undefined, (member) => member.user.id);
}

export function currentUserGuilds(client: PageSource, options: Signal = {}): AsyncGenerator<RESTAPIPartialCurrentUserGuild[]> {
  return ascendingById(client, '/users/@me/guilds', 200, (after) => client.get<RESTAPIPartialCurrentUserGuild[]>('/users/@me/guilds', { query: { limit: 200, after }, signal: options.signal }), undefined, (guild) => guild.id);
}

export function reactionUsers(client: PageSource, channelId: string, messageId: string, emoji: string, options: Signal & { type?: 0 | 1 } = {}): AsyncGenerator<APIUser[]> {
  const route: Route = `/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
  return ascendingById(client, route, 100, (after) => client.get<APIUser[]>(route, { query: { limit: 100, after, type: options.type }, signal: options.signal }), undefined, (user) => user.id);
}

/**
 * A channel's pinned messages, most recently pinned first (GET
 * /channels/{id}/messages/pins, pages of 50 following `has_more`, the next page
 * `before` the last pin time). A page whose pins are not all older than the
 * one it continues is refused: following it could loop forever.
 */
export async function* pinnedMessages(client: PageSource, channelId: string, options: Signal = {}): AsyncGenerator<APIMessage[]> {
  const route: Route = `/channels/${channelId}/messages/pins`;
  let before: string | undefined;
  for (;;) {
    const page = await client.get<{ items: { pinned_at: string; message: APIMessage }[]; has_more: boolean }>(route, { query: { limit: 50, before }, signal: options.signal });
    if (before !== undefined) {
      const limit = Date.parse(before);
      const stale = page.items.find((item) => !(Date.parse(item.pinned_at) < limit));
      if (stale) throw errorForBadPage(client.apiBaseUrl, route, `a page asked for pins before ${before} holds one pinned at ${stale.pinned_at}`);
    }
    if (page.items.length > 0) yield requireChannel(client, route, page.items.map((item) => item.message), channelId);
    if (!page.has_more || page.items.length === 0) return;
    before = page.items[page.items.length - 1]!.pinned_at;
  }
}

/** Routes paged with `after` = the greatest id seen so far. */
async function* ascendingById<T>(client: PageSource, route: Route, limit: number, fetchPage: (after: string | undefined) => Promise<T[]>, start: string | undefined, idOf: (item: T) => string): AsyncGenerator<T[]> {
  let cursor = start;
  for (;;) {
    const page = await fetchPage(cursor);
    if (page.length === 0) return;
    const ids = page.map(idOf);
    requireInRange(client, route, ids, cursor, 'after');
    yield page;
    if (page.length < limit) return;
    cursor = maxId(ids);
  }
}

/**
 * Archived threads, most recently archived first, following `has_more`.
 * Public and private lists page by `before` = an archive timestamp, which is
 * exclusive: threads archived at the same instant as the last one of a page
 * would be skipped, so the next page asks from 1 ms later and drops the
 * threads already seen (falling back to the exact boundary if a whole page
 * shares one timestamp). Joined private threads page by thread id.
 */
export async function* archivedThreads(client: PageSource, channelId: string, kind: ArchivedThreadKind, options: Signal = {}): AsyncGenerator<APIThreadChannel[]> {
  const route: Route = kind === 'joined' ? `/channels/${channelId}/users/@me/threads/archived/private` : `/channels/${channelId}/threads/archived/${kind}`;
  const seen = new Set<string>();
  let before: string | undefined;
  let exact = false;
  for (;;) {
    const result = await client.get<RESTGetAPIChannelThreadsArchivedPublicResult>(route, { query: { limit: 100, before }, signal: options.signal });
    const threads = result.threads as APIThreadChannel[];
    const fresh = threads.filter((thread) => !seen.has(thread.id));
    for (const thread of fresh) seen.add(thread.id);
    if (fresh.length > 0) yield fresh;
    if (!result.has_more || threads.length === 0) return;
    if (kind === 'joined') {
      if (fresh.length === 0) throw errorForBadPage(client.apiBaseUrl, route, `it answered the same ${threads.length === 1 ? 'thread' : 'threads'} again and again with has_more`);
      before = minId(threads.map((thread) => thread.id));
      continue;
    }
    const boundary = oldestArchiveTimestamp(threads);
    if (boundary === undefined) throw errorForBadPage(client.apiBaseUrl, route, 'it said has_more, but no thread has an archive timestamp to page from');
    if (fresh.length === 0) {
      // Nothing new even from the exact boundary: the server ignores `before`. Stop rather than
      // loop, and say so rather than end as if every thread had been listed.
      if (exact) throw errorForBadPage(client.apiBaseUrl, route, `it answered the same ${threads.length === 1 ? 'thread' : 'threads'} again and again with has_more`);
      before = boundary;
      exact = true;
    } else {
      before = oneMillisecondLater(boundary) ?? boundary;
      exact = before === boundary;
    }
  }
}

function oldestArchiveTimestamp(threads: APIThreadChannel[]): string | undefined {
  let oldest: { at: number; text: string } | undefined;
  for (const thread of threads) {
    const text = thread.thread_metadata?.archive_timestamp;
    const at = text ? Date.parse(text) : NaN;
    if (text && !Number.isNaN(at) && (!oldest || at < oldest.at)) oldest = { at, text };
  }
  return oldest?.text;
}

function oneMillisecondLater(timestamp: string): string | undefined {
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? undefined : new Date(at + 1).toISOString();
}

/**
 * Every id of a page is a Discord id, and, asked for with `before`/`after` =
 * cursor, lies strictly on that side of it, as Discord's do. Anything else is
 * refused: an id like "1e3" or "../x" would become the next cursor and a
 * database key; a page that repeats the previous one would make the walk loop
 * forever; an id far beyond the range would move the cursor over the history
 * in between, which would then never be read and the walk recorded as complete.
 */
function requireInRange(client: PageSource, route: Route, ids: readonly unknown[], cursor: string | undefined, side: 'before' | 'after'): asserts ids is readonly string[] {
  const bad = ids.find((id) => !isSnowflake(id));
  if (bad !== undefined) throw errorForBadPage(client.apiBaseUrl, route, `a page holds ${JSON.stringify(bad)?.slice(0, 40) ?? String(bad)}, not a Discord id`);
  if (cursor === undefined) return;
  const outside = (ids as readonly string[]).find((id) => (side === 'before' ? compareSnowflakes(id, cursor) >= 0 : compareSnowflakes(id, cursor) <= 0));
  if (outside === undefined) return;
  const what = (ids as readonly string[]).includes(cursor) ? `it repeated the previous page (id ${cursor} again)` : `a page asked for ids ${side} ${cursor} holds id ${outside} outside that range`;
  throw errorForBadPage(client.apiBaseUrl, route, what);
}

/**
 * Every message of a channel's page belongs to that channel. Stored under this
 * one, a message of another channel would be taken out of its own archive.
 */
function requireChannel(client: PageSource, route: Route, page: APIMessage[], channelId: string): APIMessage[] {
  const stray = page.find((message) => message.channel_id !== channelId);
  if (stray) throw errorForBadPage(client.apiBaseUrl, route, `a page holds message ${String(stray.id).slice(0, 40)} of channel ${String(stray.channel_id).slice(0, 40)}`);
  return page;
}

function clampLimit(limit: number | undefined, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(limit ?? max)));
}

function minId(ids: string[]): string {
  return ids.reduce((min, id) => (compareSnowflakes(id, min) < 0 ? id : min));
}

function maxId(ids: string[]): string {
  return ids.reduce((max, id) => (compareSnowflakes(id, max) > 0 ? id : max));
}
