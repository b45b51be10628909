import type { APIMessage } from 'discord-api-types/v10';
import type { Vault } from '../vault';
import { hasTag, messageDocument, messageTags } from './messageDocument';
import type { HasKind, SearchTerm } from './queryParser';
import { compareSnowflakes } from '../discord/snowflake';
import type { BatchSink } from '../archive/pageWriter';

/**
 * The full-text index of the archive, and the only module that knows it is an
 * SQLite FTS table: its DDL, how it is kept current, and how a query becomes a
 * MATCH expression. Everything else asks this module.
 *
 * One row per message, rowid = the message's snowflake id, so "newest first" is
 * the index's own descending rowid order and paging is a rowid bound. FTS5 where
 * the engine has it (contentless: the text is already in the archive); FTS4
 * where it has only that (sql.js); no index at all degrades to a LIKE scan of
 * the archive, slower but correct.
 */

export type IndexKind = 'fts5' | 'fts4' | 'scan';

export const INDEX_TABLE = 'search_index';
/** vault_meta key set when messages were written that the index could not take (see SearchIndexWriter). */
const STALE_KEY = 'search_index_stale';
/** FTS5 and FTS4 alike (each in its own syntax): letters and digits, case and accents folded. */
const TOKENIZER = 'unicode61 remove_diacritics 2';

/** The vault's database connection, whichever engine runs it (node:sqlite or sql.js). */
type Db = Pick<Vault['db'], 'exec' | 'prepare'>;
type Statement = ReturnType<Db['prepare']>;

const probed = new WeakMap<object, IndexKind>();

/** The best index this SQLite build can hold (probed once per connection, by creating one in memory). */
export function supportedKind(db: Db): IndexKind {
  const known = probed.get(db);
  if (known) return known;
  let kind: IndexKind = 'scan';
  for (const candidate of ['fts5', 'fts4'] as const) {
    try {
      db.exec(`CREATE VIRTUAL TABLE temp.gv_fts_probe USING ${candidate}(x)`);
      db.exec('DROP TABLE temp.gv_fts_probe');
      kind = candidate;
      break;
    } catch {
      // this module is not compiled in: try the next
    }
  }
  probed.set(db, kind);
  return kind;
}

/** The kind of index the vault holds, if any. */
export function existingKind(db: Db): 'fts5' | 'fts4' | undefined {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(INDEX_TABLE) as { sql: string } | undefined;
  if (!row) return undefined;
  return /using\s+fts5/i.test(row.sql) ? 'fts5' : 'fts4';
}

export interface IndexStatus {
  /** What queries use: the index, or a scan of the archive. */
  kind: IndexKind;
  /** Why search is slower than it could be, for the user; undefined when the index is in use. */
  notice?: string;
}

/** Whether queries can use the vault's index with this SQLite, and if not, why. */
export function indexStatus(db: Db): IndexStatus {
  const existing = existingKind(db);
  const supported = supportedKind(db);
  if (!existing) {
    return { kind: 'scan', notice: supported === 'scan' ? 'This SQLite has no full-text search (FTS5 or FTS4): searching by scanning the archive, which is slower.' : 'This vault has no search index yet: searching by scanning the archive. Open it for writing (run a sync) to build the index.' };
  }
  if (existing === 'fts5' && supported !== 'fts5') {
    return { kind: 'scan', notice: "The vault's search index needs SQLite's FTS5, which this SQLite lacks: searching by scanning the archive, which is slower." };
  }
  if (isStale(db)) {
    return { kind: 'scan', notice: 'The search index is missing messages written by a SQLite without FTS5: searching by scanning the archive until the next sync rebuilds it.' };
  }
  return { kind: existing };
}

function isStale(db: Db): boolean {
  const row = db.prepare('SELECT value FROM vault_meta WHERE key = ?').get(STALE_KEY) as { value: string } | undefined;
  return row?.value === '1';
}

function setStale(db: Db, stale: boolean): void {
  if (stale) db.prepare("INSERT INTO vault_meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'").run(STALE_KEY);
  else db.prepare('DELETE FROM vault_meta WHERE key = ?').run(STALE_KEY);
}

/**
 * Creates the index in the best kind this SQLite has and fills it from the
 * archive (the schema migration calls this, inside its transaction).
 * Returns the kind created ('scan': none could be).
 */
export function createIndex(db: Db, options: { kind?: IndexKind; onProgress?: (done: number) => void } = {}): IndexKind {
  // `kind` picks a lesser index than the best (FTS4 as sql.js has it, for tests).
  const kind = options.kind ?? supportedKind(db);
  if (kind === 'fts5') {
    try {
      // Contentless: the text lives in the archive already. Deletable from SQLite 3.43.
      db.exec(`CREATE VIRTUAL TABLE ${INDEX_TABLE} USING fts5(body, tags, content='', contentless_delete=1, tokenize='${TOKENIZER}')`);
    } catch {
      db.exec(`CREATE VIRTUAL TABLE ${INDEX_TABLE} USING fts5(body, tags, tokenize='${TOKENIZER}')`);
    }
  } else if (kind === 'fts4') {
    db.exec(`CREATE VIRTUAL TABLE ${INDEX_TABLE} USING fts4(body, tags, tokenize=unicode61 "remove_diacritics=2")`);
  } else {
    return 'scan';
  }
  fillIndex(db, options.onProgress);
  return kind;
}

/**
 * Empties the index and indexes every archived message again (oldest first:
 * the FTS engines take ascending rowids fastest), in one transaction (a
 * savepoint: inside the caller's, or a transaction of its own).
 */
export function rebuildIndex(db: Db, onProgress?: (done: number) => void): void {
  db.exec('SAVEPOINT gv_search_rebuild');
  try {
    // A contentless FTS5 table empties itself in one step; row by row it would write a tombstone per message.
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(INDEX_TABLE) as { sql: string };
    db.exec(/using\s+fts5\(.*content=''/is.test(row.sql) ? `INSERT INTO ${INDEX_TABLE} (${INDEX_TABLE}) VALUES ('delete-all')` : `DELETE FROM ${INDEX_TABLE}`);
    fillIndex(db, onProgress);
    setStale(db, false);
    db.exec('RELEASE gv_search_rebuild');
  } catch (error) {
    db.exec('ROLLBACK TO gv_search_rebuild; RELEASE gv_search_rebuild');
    throw error;
  }
}

function fillIndex(db: Db, onProgress?: (done: number) => void): void {
  const threadNames = new Map(
    (db.prepare('SELECT CAST(id AS TEXT) AS id, name FROM archive_channels WHERE is_thread = 1').all() as { id: string; name: string }[]).map((row) => [row.id, row.name]),
  );
  const insert = db.prepare(`INSERT INTO ${INDEX_TABLE} (rowid, body, tags) VALUES (CAST(? AS INTEGER), ?, ?)`);
  let done = 0;
  for (const row of db.prepare('SELECT CAST(id AS TEXT) AS id, raw, content FROM messages ORDER BY id').iterate() as Iterable<{ id: string; raw: string; content: unknown }>) {
    const message = parseRaw(row.raw);
    // A row whose raw JSON is damaged still has its text column: index that, never fail the migration.
    const body = message ? messageDocument(message, threadNames.get(row.id)) : typeof row.content === 'string' ? row.content : '';
    const tags = message ? messageTags(message) : '';
    if (body || tags) insert.run(row.id, body, tags);
    if (++done % 10_000 === 0) onProgress?.(done);
  }
  onProgress?.(done);
}

function parseRaw(raw: string): APIMessage | undefined {
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as APIMessage) : undefined;
  } catch {
    return undefined;
  }
}

export interface IndexedMessage {
  id: string;
  /** messageDocument() */
  body: string;
  /** messageTags() */
  tags: string;
  /** The message was already archived (and so maybe indexed): its old entry goes. */
  replaces: boolean;
}

/**
 * Keeps the index current from the archive's ingest, inside the ingest's own
 * transaction: a page and its index entries are stored together or not at all.
 */
export class SearchIndexWriter implements BatchSink<IndexedMessage> {
  private readonly sql: { insert: Statement; remove: Statement } | undefined;
  /** The vault has an index this SQLite cannot write (FTS5 under sql.js): it gets marked stale. */
  private readonly unwritable: boolean;

  constructor(private readonly db: Db) {
    const existing = existingKind(db);
    const usable = existing !== undefined && (existing === 'fts4' || supportedKind(db) === 'fts5');
    this.unwritable = existing !== undefined && !usable;
    if (usable) {
      if (isStale(db)) rebuildIndex(db);
      this.sql = {
        insert: db.prepare(`INSERT INTO ${INDEX_TABLE} (rowid, body, tags) VALUES (CAST(? AS INTEGER), ?, ?)`),
        remove: db.prepare(`DELETE FROM ${INDEX_TABLE} WHERE rowid = CAST(? AS INTEGER)`),
      };
    }
  }

  /** Indexes messages written in the current transaction (a page's, or those several pages deferred to their commit). */
  write(messages: IndexedMessage[]): void {
    if (messages.length === 0) return;
    if (!this.sql) {
      // Left alone, marked stale in the same transaction; the next writer that can rebuilds it.
      if (this.unwritable) setStale(this.db, true);
      return;
    }
    // Ascending ids: an FTS table flushes its pending terms whenever a rowid
    // is smaller than the one before, and Discord's pages come newest first.
    // The sort is stable: two entries of one message (a page and a later page
    // that returned it changed) keep their order.
    const sorted = [...messages].sort((a, b) => compareSnowflakes(a.id, b.id));
    for (const message of sorted) {
      if (message.replaces) this.sql.remove.run(message.id);
      if (message.body || message.tags) this.sql.insert.run(message.id, message.body, message.tags);
    }
  }

  /**
   * Indexes archived messages again from their stored objects: when a thread is
   * renamed, the first message of a forum post (whose id is the thread's) carries its new title.
   */
  reindex(messageIds: readonly string[]): void {
    const select = this.db.prepare('SELECT CAST(id AS TEXT) AS id, CAST(channel_id AS TEXT) AS channel_id, raw FROM messages WHERE id = CAST(? AS INTEGER)');
    const messages: IndexedMessage[] = [];
    for (const id of messageIds) {
      const row = select.get(id) as { id: string; channel_id: string; raw: string } | undefined;
      if (!row) continue;
      const message = JSON.parse(row.raw) as APIMessage;
      messages.push({ id, body: messageDocument(message, row.id === row.channel_id ? this.threadName(row.channel_id) : undefined), tags: messageTags(message), replaces: true });
    }
    this.write(messages);
  }

  /** The name of a thread, for the first message of a forum post (whose id is the thread's). */
  threadName(channelId: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM archive_channels WHERE id = ? AND is_thread = 1').get(channelId) as { name: string } | undefined;
    return row?.name;
  }
}

/** A has:KIND filter the index answers (its token is in the tags column). */
export interface TagFilter {
  kind: HasKind;
  negated: boolean;
}

/**
 * The MATCH expression for the words and has: filters of a query, every user
 * word quoted and held to the body column (so FTS syntax such as NEAR(, column
 * filters, '*' or '^' in a query is only ever text), or undefined when nothing
 * positive has anything the tokenizer indexes.
 */
export function matchExpression(kind: 'fts5' | 'fts4', terms: readonly SearchTerm[], tags: readonly TagFilter[], parenthesisSyntax: boolean): string | undefined {
  const positive = [...terms.filter((term) => !term.negated && indexable(term.text)).map((term) => quoted(kind, term)), ...tags.filter((tag) => !tag.negated).map((tag) => tagged(kind, tag))];
  const negative = [...terms.filter((term) => term.negated && indexable(term.text)).map((term) => quoted(kind, term)), ...tags.filter((tag) => tag.negated).map((tag) => tagged(kind, tag))];
  if (positive.length === 0) return undefined;
  if (kind === 'fts5') return `(${positive.join(' AND ')})${negative.length ? ` NOT (${negative.join(' OR ')})` : ''}`;
  // FTS4: the standard syntax negates with '-'; the enhanced one (with parentheses) with a binary NOT.
  if (parenthesisSyntax) return `(${positive.join(' AND ')})${negative.map((term) => ` NOT ${term}`).join('')}`;
  return [...positive, ...negative.map((term) => `-${term}`)].join(' ');
}

/** The MATCH expression for what a query excludes (when it wants nothing the index holds), or undefined. */
export function exclusionExpression(kind: 'fts5' | 'fts4', terms: readonly SearchTerm[], tags: readonly TagFilter[]): string | undefined {
  const negative = [...terms.filter((term) => term.negated && indexable(term.text)).map((term) => quoted(kind, term)), ...tags.filter((tag) => tag.negated).map((tag) => tagged(kind, tag))];
  return negative.length ? negative.join(' OR ') : undefined;
}

function tagged(kind: 'fts5' | 'fts4', tag: TagFilter): string {
  return kind === 'fts5' ? `tags : ${hasTag(tag.kind)}` : `tags:${hasTag(tag.kind)}`;
}

/** Whether the FTS3/4 build uses the enhanced query syntax (AND, OR, NOT and parentheses). */
export function hasParenthesisSyntax(db: Db): boolean {
  try {
    const row = db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS3_PARENTHESIS') AS used").get() as { used: number };
    return Number(row.used) === 1;
  } catch {
    return false;
  }
}

/**
 * A term as an FTS string, held to the body column: the tokenizer splits it
 * into words, which must then follow each other. FTS5 escapes a quote by
 * doubling it; FTS4 has no escape (and reads '*' after a word inside a phrase
 * as a prefix), so there both go.
 */
function quoted(kind: 'fts5' | 'fts4', term: SearchTerm): string {
  if (kind === 'fts5') return `body : "${term.text.replace(/"/g, '""')}"${term.prefix ? '*' : ''}`;
  // FTS4's parser mishandles a column filter before a quoted phrase: its words match any
  // column there (the tags column holds only "hasfile"-like tokens).
  return `"${term.text.replace(/["*]/g, ' ').trim()}${term.prefix ? '*' : ''}"`;
}

/** Whether the tokenizer finds a word in `text` (emoji and punctuation alone it does not). */
export function indexable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
