import { ChannelType } from 'discord-api-types/v10';
import type { Vault } from '../vault';
import type { DiscoveredChannel } from './discovery';

export type ChannelStatus = 'pending' | 'ok' | 'partial' | 'no-access' | 'no-history' | 'error' | 'gone';

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

const THREAD_ONLY = new Set<number>([ChannelType.GuildForum, ChannelType.GuildMedia, ChannelType.GuildCategory]);

export function holdsMessages(type: number): boolean {
  return !THREAD_ONLY.has(type);
}

/** Every archived channel, categories included, in Discord's order (threads after channels, oldest first). */
export function listArchivedChannels(vault: Vault): ArchivedChannel[] {
  const rows = vault.db
    .prepare(
      `SELECT CAST(id AS TEXT) AS id, name, type, CAST(parent_id AS TEXT) AS parent_id, position, is_thread, message_count,
              last_sync_at, status, problem, content_missing, backfill_done
         FROM archive_channels ORDER BY is_thread, position, id`,
    )
    .all() as unknown as ChannelRow[];
  return rows.map(toArchivedChannel);
}

export function getArchivedChannel(vault: Vault, channelId: string): ArchivedChannel | undefined {
  const row = vault.db
    .prepare(
      `SELECT CAST(id AS TEXT) AS id, name, type, CAST(parent_id AS TEXT) AS parent_id, position, is_thread, message_count,
              last_sync_at, status, problem, content_missing, backfill_done
         FROM archive_channels WHERE id = ?`,
    )
    .get(channelId) as unknown as ChannelRow | undefined;
  return row ? toArchivedChannel(row) : undefined;
}

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

/**
 * Records what discovery found: names, nesting and readability. Channels the
 * archive knew that Discord no longer lists are marked gone (their messages stay),
 * except archived threads an incremental discovery did not list again.
 */
export function recordDiscovery(vault: Vault, channels: readonly DiscoveredChannel[], options: { complete: boolean }): void {
  const upsert = vault.db.prepare(
    `INSERT INTO archive_channels (id, parent_id, type, name, position, is_thread, raw, status, problem)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, type = excluded.type, name = excluded.name,
       position = excluded.position, is_thread = excluded.is_thread, raw = excluded.raw,
       status = CASE WHEN excluded.status = 'ok' AND status IN ('ok', 'error', 'pending') THEN status ELSE excluded.status END,
       problem = CASE WHEN excluded.status = 'ok' AND status IN ('ok', 'error', 'pending') THEN problem ELSE excluded.problem END`,
  );
  vault.transaction(() => {
    for (const c of channels) {
      upsert.run(c.id, c.parentId, c.type, c.name, c.position, c.isThread ? 1 : 0, JSON.stringify(c.raw), c.access, c.problem ?? null);
    }
    const listed = new Set(channels.map((c) => c.id));
    const known = vault.db.prepare('SELECT CAST(id AS TEXT) AS id, is_thread FROM archive_channels WHERE status <> ?').all('gone') as { id: string; is_thread: number }[];
    const gone = vault.db.prepare("UPDATE archive_channels SET status = 'gone', problem = 'Deleted on Discord (or no longer visible to the bot); its archived messages are kept.' WHERE id = ?");
    for (const row of known) {
      if (listed.has(row.id)) continue;
      if (row.is_thread && !options.complete) continue;
      gone.run(row.id);
    }
  });
}
