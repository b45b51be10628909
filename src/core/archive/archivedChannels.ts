import { holdsMessages } from '../discord/channelKinds';
import { SearchIndexWriter } from '../search/ftsIndex';
import type { Vault } from '../vault';
import type { DiscoveredChannel } from './discovery';

export type ChannelStatus = 'pending' | 'ok' | 'partial' | 'no-access' | 'no-history' | 'error' | 'gone';
/** Why a channel was not (fully) archived in a run: the statuses a report lists. */
export type ChannelTrouble = Extract<ChannelStatus, 'no-access' | 'no-history' | 'error' | 'gone'>;

/** Where an unfinished channel's walks stand. */
export interface ChannelCursor {
  /** Newest archived message id. */
  newest: string | null;
  /** The first walk's resume point (it goes back from here). */
  before: string | null;
  backfillDone: boolean;
}

/** A thread known from an earlier run (see ArchiveChannels.knownThreads). */
export interface KnownThread {
  id: string;
  type: number;
  name: string;
  parentId: string | null;
  raw: string;
  backfillDone: boolean;
}

/** A channel or thread of the archive, for the tree and reports. */
export interface ArchivedChannel {
  id: string;
  name: string;
  /** Discord channel type (0 text, 2 voice, 4 category, 5 announcement, 10-12 threads, 13 stage, 15 forum, 16 media). */
  type: number;
  /** Category for channels, parent channel for threads. */
  parentId: string | null;
  position: number | null;
  isThread: boolean;
  messageCount: number;
  /** ISO time of the last sync that read this channel. */
  lastSyncAt: string | null;
  /**
   * ok: archived up to date; partial: history not yet walked to the first message
   * (an interrupted first backup); no-access / no-history: the bot cannot read it
   * (see problem); error: the last sync failed here; gone: deleted on Discord.
   */
  status: ChannelStatus;
  problem?: string;
  /** Messages whose content Discord withheld (Message Content intent off). */
  contentMissing: number;
  /** Forum and media channels hold only threads; categories hold channels. */
  holdsMessages: boolean;
}

/** Every archived channel, categories included, in Discord's order (threads after channels, oldest first). */
export function listArchivedChannels(vault: Vault): ArchivedChannel[] {
  return new ArchiveChannels(vault).list();
}

export function getArchivedChannel(vault: Vault, channelId: string): ArchivedChannel | undefined {
  return new ArchiveChannels(vault).get(channelId);
}

/**
 * The one owner of the archive_channels table: what discovery found, where each
 * channel's walks stand, and its status, changed only through the named
 * transitions below (discovered, walked, synced, failed, gone).
 */
export class ArchiveChannels {
  constructor(private readonly vault: Vault) {}

  list(): ArchivedChannel[] {
    const rows = this.vault.db.prepare(`SELECT ${COLUMNS} FROM archive_channels ORDER BY is_thread, position, id`).all() as unknown as ChannelRow[];
    return rows.map(toArchivedChannel);
  }

  get(channelId: string): ArchivedChannel | undefined {
    const row = this.vault.db.prepare(`SELECT ${COLUMNS} FROM archive_channels WHERE id = ?`).get(channelId) as unknown as ChannelRow | undefined;
    return row ? toArchivedChannel(row) : undefined;
  }

  cursor(channelId: string): ChannelCursor {
    const row = this.vault.db
      .prepare('SELECT CAST(newest_id AS TEXT) AS newest, CAST(backfill_before AS TEXT) AS before, backfill_done FROM archive_channels WHERE id = ?')
      .get(channelId) as { newest: string | null; before: string | null; backfill_done: number } | undefined;
    return { newest: row?.newest ?? null, before: row?.before ?? null, backfillDone: row?.backfill_done === 1 };
  }

  /** Discord's last_pin_timestamp when the pins were last read. */
  pinsSeen(channelId: string): string | null {
    return (this.vault.db.prepare('SELECT pins_seen_at FROM archive_channels WHERE id = ?').get(channelId) as { pins_seen_at: string | null } | undefined)?.pins_seen_at ?? null;
  }

  /** Threads worth another look: readable last time (ok, failed, or not yet read). */
  knownThreads(): KnownThread[] {
    const rows = this.vault.db
      .prepare("SELECT CAST(id AS TEXT) AS id, type, name, CAST(parent_id AS TEXT) AS parent_id, raw, backfill_done FROM archive_channels WHERE is_thread = 1 AND status IN ('ok', 'error', 'pending')")
      .all() as { id: string; type: number; name: string; parent_id: string | null; raw: string; backfill_done: number }[];
    return rows.map((row) => ({ id: row.id, type: row.type, name: row.name, parentId: row.parent_id, raw: row.raw, backfillDone: row.backfill_done === 1 }));
  }

  /**
   * Discovered: names, nesting and readability. Channels the archive knew that
   * Discord no longer lists are marked gone (their messages stay), except
   * archived threads an incremental discovery did not list again.
   */
  discovered(channels: readonly DiscoveredChannel[], options: { complete: boolean }): void {
    const vault = this.vault;
    const upsert = vault.db.prepare(
      `INSERT INTO archive_channels (id, parent_id, type, name, position, is_thread, raw, status, problem)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
         position = excluded.position, is_thread = excluded.is_thread, raw = excluded.raw,
         status = CASE WHEN excluded.status = 'ok' AND status IN ('ok', 'error', 'pending') THEN status ELSE excluded.status END,
         problem = CASE WHEN excluded.status = 'ok' AND status IN ('ok', 'error', 'pending') THEN problem ELSE excluded.problem END`,
    );
    const threadName = vault.db.prepare('SELECT name FROM archive_channels WHERE id = ? AND is_thread = 1');
    vault.transaction(() => {
      const renamed: string[] = [];
      for (const c of channels) {
        const before = c.isThread ? (threadName.get(c.id) as { name: string } | undefined)?.name : undefined;
        if (before !== undefined && before !== c.name) renamed.push(c.id);
        upsert.run(c.id, c.parentId, c.type, c.name, c.position, c.isThread ? 1 : 0, JSON.stringify(c.raw), c.access, c.problem ?? null);
      }
      // A forum post's title is its thread's name: its first message is found by the new one.
      if (renamed.length > 0) new SearchIndexWriter(vault.db).reindex(renamed);
      const listed = new Set(channels.map((c) => c.id));
      const known = vault.db.prepare("SELECT CAST(id AS TEXT) AS id, is_thread FROM archive_channels WHERE status <> 'gone'").all() as { id: string; is_thread: number }[];
      for (const row of known) {
        if (listed.has(row.id)) continue;
        if (row.is_thread && !options.complete) continue;
        this.gone(row.id);
      }
    });
  }

  /** A page of the first walk (newest to oldest) is stored: `min` is where the walk resumes. Run in the page's transaction. */
  walkedBack(channelId: string, page: { min: string; max: string; inserted: number; contentMissing: number }): void {
    this.statement(
      'walkedBack',
      `UPDATE archive_channels SET backfill_before = ?,
         newest_id = CASE WHEN newest_id IS NULL OR newest_id < ? THEN ? ELSE newest_id END,
         message_count = message_count + ?, content_missing = content_missing + ?
       WHERE id = ?`,
    ).run(page.min, page.max, page.max, page.inserted, page.contentMissing, channelId);
  }

  /** The first walk reached the first message. */
  backfilled(channelId: string): void {
    this.vault.db.prepare('UPDATE archive_channels SET backfill_done = 1 WHERE id = ?').run(channelId);
  }

  /** A page of newer messages is stored: `max` is the newest archived id. Run in the page's transaction. */
  walkedForward(channelId: string, page: { max: string; inserted: number; contentMissing: number }): void {
    this.statement(
      'walkedForward',
      `UPDATE archive_channels SET newest_id = CASE WHEN newest_id IS NULL OR newest_id < ? THEN ? ELSE newest_id END,
         message_count = message_count + ?, content_missing = content_missing + ?
       WHERE id = ?`,
    ).run(page.max, page.max, page.inserted, page.contentMissing, channelId);
  }

  /** Brought up to date: status ok, with the pin stamp it was synced at. */
  synced(channelId: string, pinsSeenAt: string | null): void {
    this.vault.db
      .prepare("UPDATE archive_channels SET last_sync_at = ?, status = 'ok', problem = NULL, pins_seen_at = ? WHERE id = ?")
      .run(new Date().toISOString(), pinsSeenAt, channelId);
  }

  /** The channel could not be read in this run, with the reason in words a user understands. */
  failed(channelId: string, status: Exclude<ChannelTrouble, 'gone'>, problem: string): void {
    this.vault.db.prepare('UPDATE archive_channels SET status = ?, problem = ? WHERE id = ?').run(status, problem, channelId);
  }

  /** Deleted on Discord, or no longer visible: its archived messages are kept. */
  gone(channelId: string, problem = 'Deleted on Discord (or no longer visible to the bot); its archived messages are kept.'): void {
    this.vault.db.prepare("UPDATE archive_channels SET status = 'gone', problem = ? WHERE id = ?").run(problem, channelId);
  }

  private readonly statements = new Map<string, ReturnType<Vault['db']['prepare']>>();

  private statement(name: string, sql: string): ReturnType<Vault['db']['prepare']> {
    let statement = this.statements.get(name);
    if (!statement) this.statements.set(name, (statement = this.vault.db.prepare(sql)));
    return statement;
  }
}

const COLUMNS = `CAST(id AS TEXT) AS id, name, type, CAST(parent_id AS TEXT) AS parent_id, position, is_thread, message_count,
       last_sync_at, status, problem, content_missing, backfill_done`;

interface ChannelRow {
  id: string;
  name: string;
  type: number;
  parent_id: string | null;
  position: number | null;
  is_thread: number;
  message_count: number;
  last_sync_at: string | null;
  status: ChannelStatus;
  problem: string | null;
  content_missing: number;
  backfill_done: number;
}

function toArchivedChannel(row: ChannelRow): ArchivedChannel {
  const status = row.status === 'ok' && !row.backfill_done && holdsMessages(row.type) ? 'partial' : row.status;
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    parentId: row.parent_id,
    position: row.position,
    isThread: row.is_thread === 1,
    messageCount: row.message_count,
    lastSyncAt: row.last_sync_at,
    status,
    problem: row.problem ?? undefined,
    contentMissing: row.content_missing,
    holdsMessages: holdsMessages(row.type),
  };
}
