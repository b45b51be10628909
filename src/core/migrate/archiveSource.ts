import { snowflakeAt } from '../discord/snowflake';
import type { Vault } from '../vault';
import { PERSON_WRITTEN_TYPES } from '../discord/messageKinds';

type Statement = ReturnType<Vault['db']['prepare']>;

type Json = Record<string, any>;

/** The messages a migration replays: those a person wrote; Discord's system messages are not. */
export const REPLAYED_TYPES = PERSON_WRITTEN_TYPES;
const REPLAYED_SQL = REPLAYED_TYPES.join(', ');

/** A channel or thread of the archive. */
export interface ArchivedChannel {
  id: string;
  parentId: string | null;
  type: number;
  name: string;
  isThread: boolean;
  raw: Json;
}

/** An archived message as the migration needs it. */
export interface ArchivedMessage {
  id: string;
  channelId: string;
  type: number;
  pinned: boolean;
  threadId: string | null;
  raw: Json;
}

/** Source id window: `since`/`until` as snowflake bounds. */
export interface IdWindow {
  min: string;
  max: string;
}

export function idWindow(since?: Date, until?: Date): IdWindow {
  return { min: since ? snowflakeAt(since.getTime()) : '0', max: until ? (BigInt(snowflakeAt(until.getTime())) - 1n).toString() : '9223372036854775807' };
}

/**
 * Reads the archive for a migration: channels, and each channel's messages in
 * order a page at a time (keyset pagination on the id), so memory does not
 * grow with the archive. Prepared statements are made once per run.
 */
export class ArchiveSource {
  private readonly page: Statement;
  private readonly count: Statement;
  private readonly attachmentRef: Statement;
  private readonly byId: Statement;

  constructor(
    readonly vault: Vault,
    readonly window: IdWindow,
  ) {
    this.page = vault.db.prepare(
      `SELECT CAST(id AS TEXT) AS id, CAST(channel_id AS TEXT) AS channel_id, type, pinned, CAST(thread_id AS TEXT) AS thread_id, raw
       FROM messages WHERE channel_id = ? AND id > ? AND id BETWEEN ? AND ? AND deleted_at IS NULL AND type IN (${REPLAYED_SQL})
       ORDER BY id LIMIT ?`,
    );
    this.count = vault.db.prepare(
      `SELECT count(*) AS total,
              sum(CASE WHEN m.type IN (${REPLAYED_SQL}) AND m.deleted_at IS NULL THEN 1 ELSE 0 END) AS replayed
       FROM messages m WHERE m.channel_id = ? AND m.id BETWEEN ? AND ?`,
    );
    this.byId = vault.db.prepare('SELECT CAST(id AS TEXT) AS id, CAST(channel_id AS TEXT) AS channel_id, type, pinned, CAST(thread_id AS TEXT) AS thread_id, raw FROM messages WHERE id = ?');
    this.attachmentRef = vault.db.prepare("SELECT sha256, status, problem FROM media_refs WHERE owner_kind = 'attachment' AND owner_id = ? AND slot = 'file'");
  }

  hasArchive(): boolean {
    return this.vault.db.prepare('SELECT 1 FROM messages LIMIT 1').get() !== undefined;
  }

  channels(): ArchivedChannel[] {
    const rows = this.vault.db
      .prepare('SELECT CAST(id AS TEXT) AS id, CAST(parent_id AS TEXT) AS parent_id, type, name, is_thread, raw FROM archive_channels ORDER BY is_thread, position, id')
      .all() as Array<{ id: string; parent_id: string | null; type: number; name: string; is_thread: number; raw: string }>;
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id, type: r.type, name: r.name, isThread: r.is_thread === 1, raw: JSON.parse(r.raw) as Json }));
  }

  /** Messages of a channel in the window after `afterId`, oldest first, at most `limit`. */
  messagesAfter(channelId: string, afterId: string, limit = 100): ArchivedMessage[] {
    const rows = this.page.all(channelId, afterId, this.window.min, this.window.max, limit) as Array<{ id: string; channel_id: string; type: number; pinned: number; thread_id: string | null; raw: string }>;
    return rows.map((r) => ({ id: r.id, channelId: r.channel_id, type: r.type, pinned: r.pinned === 1, threadId: r.thread_id, raw: JSON.parse(r.raw) as Json }));
  }

  /** Every message of a channel in the window, a page at a time. */
  *messages(channelId: string, pageSize = 100): Generator<ArchivedMessage> {
    for (let after = '0'; ; ) {
      const page = this.messagesAfter(channelId, after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.id;
    }
  }

  /** Messages in the window: all, and those that are replayed (not system messages, not deleted). */
  counts(channelId: string): { total: number; replayed: number } {
    const row = this.count.get(channelId, this.window.min, this.window.max) as { total: number; replayed: number | null };
    return { total: row.total, replayed: row.replayed ?? 0 };
  }

  /** The media pool entry of an attachment: its hash when stored, else why not. */
  attachmentFile(attachmentId: string): { sha256?: string; problem?: string } {
    const row = this.attachmentRef.get(attachmentId) as { sha256: string | null; status: string; problem: string | null } | undefined;
    if (!row) return { problem: 'never downloaded' };
    if (row.status === 'stored' && row.sha256) return { sha256: row.sha256 };
    return { problem: row.problem ?? `not downloaded (${row.status})` };
  }

  /** A source message by id (any channel), for replies and links. */
  message(id: string): ArchivedMessage | undefined {
    const r = this.byId.get(id) as
      | { id: string; channel_id: string; type: number; pinned: number; thread_id: string | null; raw: string }
      | undefined;
    return r && { id: r.id, channelId: r.channel_id, type: r.type, pinned: r.pinned === 1, threadId: r.thread_id, raw: JSON.parse(r.raw) as Json };
  }
}
