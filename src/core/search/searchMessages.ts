import { DEFAULTS, withinRange } from '../defaults';
import { TranscriptNames } from '../archive/transcript';
import { isSnowflake, maxSnowflake, minSnowflake, snowflakeAt, snowflakeTime, SNOWFLAKE_PATTERN } from '../discord/snowflake';
import type { Vault } from '../vault';
import { exclusionExpression, hasParenthesisSyntax, INDEX_TABLE, indexable, indexStatus, matchExpression, type IndexKind, type TagFilter } from './ftsIndex';
import { IMAGE_EXTENSIONS } from './messageDocument';
import { highlighter, makeSnippet, type Highlight } from './highlight';
import { parseSearchQuery, type HasKind, type ParsedQuery, type SearchFilter, type SearchTerm } from './queryParser';

export interface SearchOptions {
  /** Results per page (1-200, default 20). */
  limit?: number;
  /** Paging: only messages older than this id (the previous page's `next`). */
  before?: string;
  /** Authors as privacy aliases ("SwiftFox"), as transcripts show them. */
  aliases?: boolean;
  /** The last word is still being typed: match it as a prefix. */
  prefixLast?: boolean;
}

export interface SearchHit {
  messageId: string;
  channelId: string;
  /** The channel or thread's name as last discovered, and its Discord type. */
  channelName: string;
  channelType: number;
  /** For a message in a thread: the thread's parent channel. */
  parentName?: string;
  parentType?: number;
  isThread: boolean;
  authorId?: string;
  authorName: string;
  /** When it was sent (ISO, UTC), from the snowflake. */
  timestamp: string;
  /** One line around the first match; `highlights` marks the matching words in it. */
  snippet: string;
  highlights: Highlight[];
  pinned: boolean;
  edited: boolean;
  /** Seen deleted on Discord by a sync's recheck (the archive keeps it). */
  deleted: boolean;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Cursor of the next (older) page, when there may be one. */
  next?: string;
  /** How the query ran: the FTS index, or a scan of the archive. */
  engine: IndexKind;
  /** Why search is slower than usual (no index with this SQLite), for the user. */
  notice?: string;
  /** Parts of the query that could not be used (and filters that matched nothing). */
  problems: string[];
  query: ParsedQuery;
}

/**
 * Searches the archived messages of one vault: newest first, `limit` at a
 * time. Never throws on what the user typed: unusable parts come back as
 * `problems`, and every value reaches SQL as a bound parameter.
 */
export function searchMessages(vault: Vault, input: string | ParsedQuery, options: SearchOptions = {}): SearchResult {
  const query = typeof input === 'string' ? parseSearchQuery(input, { prefixLast: options.prefixLast }) : input;
  const status = indexStatus(vault.db);
  const result: SearchResult = { hits: [], engine: status.kind, notice: status.notice, problems: [...query.problems], query };
  const limit = withinRange(DEFAULTS.searchResults, options.limit ?? DEFAULTS.searchResults.value, true);
  const where = new Conditions();
  // has: filters are tokens of the index when there is one; SQL on the archive when scanning.
  const tags: TagFilter[] = [];
  for (const filter of query.filters) {
    if (filter.kind === 'has' && status.kind !== 'scan') tags.push({ kind: filter.value, negated: filter.negated });
    else if (!applyFilter(vault, filter, where, result.problems)) return result; // a filter that matches nothing
  }
  if (query.terms.length === 0 && query.filters.length === 0) return result;
  if (options.before !== undefined) {
    if (!isSnowflake(options.before)) {
      result.problems.push(`"${options.before}" is not a message id to page from.`);
      return result;
    }
    where.bound('to', options.before);
  }
  const rows = runQuery(vault, status.kind, query.terms, tags, where, limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  result.hits = describeHits(vault, page, query.terms, options.aliases === true);
  if (more) result.next = page[page.length - 1]!.id;
  return result;
}

interface HitRow {
  id: string;
  channel_id: string;
  author_id: string | null;
  content: string;
  pinned: number;
  edited_at: string | null;
  deleted_at: string | null;
}

const HIT_COLUMNS = 'CAST(m.id AS TEXT) AS id, CAST(m.channel_id AS TEXT) AS channel_id, CAST(m.author_id AS TEXT) AS author_id, m.content, m.pinned, m.edited_at, m.deleted_at';

/**
 * SQL conditions on the messages table `m`, with their parameters, and the
 * message id range [from, to) apart: on the index's rowid it lets the FTS
 * engine skip straight to the range.
 */
class Conditions {
  private readonly sql: string[] = [];
  private readonly values: string[] = [];
  private from: string | undefined;
  private to: string | undefined;

  add(sql: string, ...params: string[]): void {
    this.sql.push(sql);
    this.values.push(...params);
  }

  bound(side: 'from' | 'to', id: string): void {
    if (side === 'from') this.from = this.from === undefined ? id : maxSnowflake(this.from, id);
    else this.to = this.to === undefined ? id : minSnowflake(this.to, id);
  }

  /** ' AND ...' for a WHERE clause whose message id is `idColumn`. */
  clause(idColumn: string): string {
    const all = [...this.sql];
    if (this.from !== undefined) all.push(`${idColumn} >= CAST(? AS INTEGER)`);
    if (this.to !== undefined) all.push(`${idColumn} < CAST(? AS INTEGER)`);
    return all.length ? ` AND ${all.join(' AND ')}` : '';
  }

  get params(): string[] {
    return [...this.values, ...(this.from !== undefined ? [this.from] : []), ...(this.to !== undefined ? [this.to] : [])];
  }
}

function runQuery(vault: Vault, kind: IndexKind, terms: readonly SearchTerm[], tags: readonly TagFilter[], where: Conditions, limit: number): HitRow[] {
  const db = vault.db;
  // Words the tokenizer cannot see (emoji, punctuation) and every word in a scan: matched as text.
  for (const term of terms) {
    if (kind !== 'scan' && indexable(term.text)) continue;
    const like = `%${term.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches = `(m.content LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.filename LIKE ? ESCAPE '\\')
      OR EXISTS (SELECT 1 FROM embeds e WHERE e.message_id = m.id AND (e.title LIKE ? ESCAPE '\\' OR e.description LIKE ? ESCAPE '\\'))
      OR EXISTS (SELECT 1 FROM archive_channels t WHERE t.is_thread = 1 AND (t.id = m.id OR t.id = m.thread_id) AND t.name LIKE ? ESCAPE '\\'))`;
    where.add(term.negated ? `NOT ${matches}` : matches, like, like, like, like, like);
  }
  if (kind !== 'scan') {
    const parenthesis = kind === 'fts4' && hasParenthesisSyntax(db);
    const match = matchExpression(kind, terms, tags, parenthesis);
    if (match !== undefined) {
      // The index drives: its rowids are message ids, walked newest first; CROSS JOIN keeps that order.
      const sql = `SELECT ${HIT_COLUMNS} FROM ${INDEX_TABLE} CROSS JOIN messages m ON m.id = ${INDEX_TABLE}.rowid
         WHERE ${INDEX_TABLE} MATCH ?${where.clause(`${INDEX_TABLE}.rowid`)}
         ORDER BY ${INDEX_TABLE}.rowid DESC LIMIT ?`;
      return db.prepare(sql).all(match, ...where.params, limit) as unknown as HitRow[];
    }
    const excluded = exclusionExpression(kind, terms, tags);
    if (excluded !== undefined) {
      where.add(`NOT EXISTS (SELECT 1 FROM ${INDEX_TABLE} WHERE ${INDEX_TABLE} MATCH ? AND ${INDEX_TABLE}.rowid = m.id)`, excluded);
    }
  }
  const sql = `SELECT ${HIT_COLUMNS} FROM messages m WHERE 1${where.clause('m.id')} ORDER BY m.id DESC LIMIT ?`;
  return db.prepare(sql).all(...where.params, limit) as unknown as HitRow[];
}

/** Adds a filter's condition; false when it can match nothing (its problem is said). */
function applyFilter(vault: Vault, filter: SearchFilter, where: Conditions, problems: string[]): boolean {
  switch (filter.kind) {
    case 'from': {
      const ids = findAuthors(vault, filter.value);
      if (ids.length === 0) {
        if (filter.negated) return true;
        problems.push(`No author in this vault is named "${filter.value}".`);
        return false;
      }
      where.add(`m.author_id ${filter.negated ? 'NOT ' : ''}IN (${ids.map(() => 'CAST(? AS INTEGER)').join(', ')})`, ...ids);
      return true;
    }
    case 'in': {
      const ids = findChannels(vault, filter.value);
      if (ids.length === 0) {
        if (filter.negated) return true;
        problems.push(`No channel or thread in this vault is named "${filter.value}".`);
        return false;
      }
      where.add(`m.channel_id ${filter.negated ? 'NOT ' : ''}IN (${ids.map(() => 'CAST(? AS INTEGER)').join(', ')})`, ...ids);
      return true;
    }
    case 'has':
      where.add(filter.negated ? `NOT (${HAS_SQL[filter.value]})` : `(${HAS_SQL[filter.value]})`);
      return true;
    case 'is':
      where.add(`m.${filter.value === 'deleted' ? 'deleted_at' : 'edited_at'} IS ${filter.negated ? '' : 'NOT '}NULL`);
      return true;
    case 'pinned':
      where.add(`m.pinned = ${filter.value ? 1 : 0}`);
      return true;
    case 'time':
      if (filter.from !== undefined) where.bound('from', snowflakeAt(filter.from));
      if (filter.to !== undefined) where.bound('to', snowflakeAt(filter.to));
      return true;
  }
}

/** The scan's has: filters: messageTags() in SQL (content_type, else the file name). */
const IMAGE_FILE = `(a.content_type LIKE 'image/%' OR ${IMAGE_EXTENSIONS.map((ext) => `lower(a.filename) LIKE '%.${ext}'`).join(' OR ')})`;
const HAS_SQL: Record<HasKind, string> = {
  file: 'EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id)',
  image: `EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND ${IMAGE_FILE}) OR EXISTS (SELECT 1 FROM embeds e WHERE e.message_id = m.id AND e.type IN ('image', 'gifv'))`,
  video: `EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.content_type LIKE 'video/%') OR EXISTS (SELECT 1 FROM embeds e WHERE e.message_id = m.id AND e.type = 'video')`,
  link: `m.content LIKE '%http://%' OR m.content LIKE '%https://%'`,
  embed: 'EXISTS (SELECT 1 FROM embeds e WHERE e.message_id = m.id)',
  sticker: 'EXISTS (SELECT 1 FROM message_stickers s WHERE s.message_id = m.id)',
  poll: 'EXISTS (SELECT 1 FROM polls p WHERE p.message_id = m.id)',
};

const USER_ID_OR_MENTION = new RegExp(`^(?:<@!?)?(${SNOWFLAKE_PATTERN})>?$`);
const CHANNEL_ID_OR_MENTION = new RegExp(`^(?:<#)?(${SNOWFLAKE_PATTERN})>?$`);

/** Users by id, mention, name, display name or privacy alias (exactly, ignoring case; else names starting with it). */
function findAuthors(vault: Vault, value: string): string[] {
  const id = USER_ID_OR_MENTION.exec(value)?.[1];
  if (id) return [id];
  const name = value.replace(/^@/, '');
  const exact = vault.db
    .prepare(
      `SELECT CAST(id AS TEXT) AS id FROM users WHERE lower(username) = lower(?1) OR lower(global_name) = lower(?1)
       UNION SELECT CAST(user_id AS TEXT) FROM user_alias WHERE lower(alias) = lower(?1)`,
    )
    .all(name) as { id: string }[];
  if (exact.length) return exact.map((row) => row.id);
  const pattern = `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const partial = vault.db
    .prepare(`SELECT CAST(id AS TEXT) AS id FROM users WHERE username LIKE ?1 ESCAPE '\\' OR global_name LIKE ?1 ESCAPE '\\' LIMIT 50`)
    .all(pattern) as { id: string }[];
  return partial.map((row) => row.id);
}

/** Channels and threads by id, mention or name (with or without '#'); a channel brings its threads. */
function findChannels(vault: Vault, value: string): string[] {
  const id = CHANNEL_ID_OR_MENTION.exec(value)?.[1];
  const name = value.replace(/^#/, '');
  const matched = id
    ? [id]
    : (vault.db.prepare('SELECT CAST(id AS TEXT) AS id FROM archive_channels WHERE lower(name) = lower(?)').all(name) as { id: string }[]).map((row) => row.id);
  if (matched.length === 0) return [];
  const threads = vault.db
    .prepare(`SELECT CAST(id AS TEXT) AS id FROM archive_channels WHERE is_thread = 1 AND parent_id IN (${matched.map(() => 'CAST(? AS INTEGER)').join(', ')})`)
    .all(...matched) as { id: string }[];
  return [...new Set([...matched, ...threads.map((row) => row.id)])];
}

function describeHits(vault: Vault, rows: readonly HitRow[], terms: readonly SearchTerm[], aliases: boolean): SearchHit[] {
  if (rows.length === 0) return [];
  const db = vault.db;
  const find = highlighter(terms);
  const channel = db.prepare(
    `SELECT c.name, c.type, c.is_thread, p.name AS parent_name, p.type AS parent_type FROM archive_channels c LEFT JOIN archive_channels p ON p.id = c.parent_id AND c.is_thread = 1 WHERE c.id = CAST(? AS INTEGER)`,
  );
  // Authors and mentions read as in transcripts: display names, or aliases when asked.
  const names = new TranscriptNames(vault, aliases);
  const others = db.prepare(
    `SELECT filename AS text FROM attachments WHERE message_id = CAST(?1 AS INTEGER)
     UNION ALL SELECT coalesce(title, '') || ' ' || coalesce(description, '') FROM embeds WHERE message_id = CAST(?1 AS INTEGER)
     UNION ALL SELECT name FROM archive_channels WHERE is_thread = 1 AND (id = CAST(?1 AS INTEGER) OR id = (SELECT thread_id FROM messages WHERE id = CAST(?1 AS INTEGER)))`,
  );
  const channels = new Map<string, { name: string; type: number; is_thread: number; parent_name: string | null; parent_type: number | null } | undefined>();
  return rows.map((row) => {
    if (!channels.has(row.channel_id)) channels.set(row.channel_id, channel.get(row.channel_id) as never);
    const where = channels.get(row.channel_id);
    const authorName = row.author_id ? names.of(row.author_id) : 'unknown';
    const content = names.markup(row.content);
    const contentHits = find(content);
    const texts = contentHits.length > 0 || terms.every((term) => term.negated) ? [content] : [content, ...(others.all(row.id) as { text: string }[]).map((other) => other.text)];
    const snippet = makeSnippet(texts, find);
    return {
      messageId: row.id,
      channelId: row.channel_id,
      channelName: where?.name ?? `channel ${row.channel_id}`,
      channelType: where?.type ?? 0,
      parentName: where?.parent_name ?? undefined,
      parentType: where?.parent_type ?? undefined,
      isThread: where?.is_thread === 1,
      authorId: row.author_id ?? undefined,
      authorName,
      timestamp: new Date(snowflakeTime(row.id)).toISOString(),
      snippet: snippet.text,
      highlights: snippet.highlights,
      pinned: row.pinned === 1,
      edited: row.edited_at !== null,
      deleted: row.deleted_at !== null,
    };
  });
}

