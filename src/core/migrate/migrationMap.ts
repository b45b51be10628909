import type { Vault } from '../vault';

type Statement = ReturnType<Vault['db']['prepare']>;

/**
 * The migration's part of the vault's `id_map` (source id -> target id, per
 * target server): 'message' for every message sent, 'thread' for threads and
 * forum posts it created (the restore records the ones it made the same way), 'pin' for pins it set, and 'message-inflight' for the
 * one message per target channel whose send has started but not been recorded.
 * Each row is committed as soon as the thing exists, so a run stopped at any
 * point (Cancel, crash, kill -9) continues without sending anything twice.
 */
export type MigrationKind = 'message' | 'channel' | 'thread' | 'pin' | 'emoji' | 'role';

export interface InFlight {
  sourceId: string;
  /** `channel:<id>` (a channel or thread) or `forum:<id>` (a new post in that forum). */
  where: string;
}

export class MigrationMap {
  private readonly get: Statement;
  private readonly put: Statement;
  private readonly remove: Statement;
  private readonly inflight: Statement;

  constructor(
    readonly vault: Vault,
    readonly targetGuildId: string,
  ) {
    const db = vault.db;
    this.get = db.prepare('SELECT target_id FROM id_map WHERE kind = ? AND source_id = ? AND target_guild_id = ?');
    this.put = db.prepare('INSERT OR REPLACE INTO id_map (kind, source_id, target_guild_id, target_id, created_at) VALUES (?, ?, ?, ?, ?)');
    this.remove = db.prepare('DELETE FROM id_map WHERE kind = ? AND source_id = ? AND target_guild_id = ?');
    this.inflight = db.prepare("SELECT source_id, target_id FROM id_map WHERE kind = 'message-inflight' AND target_guild_id = ? AND target_id = ?");
  }

  target(kind: MigrationKind, sourceId: string): string | undefined {
    return (this.get.get(kind, sourceId, this.targetGuildId) as { target_id: string } | undefined)?.target_id;
  }

  record(kind: MigrationKind, sourceId: string, targetId: string): void {
    this.put.run(kind, sourceId, this.targetGuildId, targetId, new Date().toISOString());
  }

  forget(kind: MigrationKind, sourceId: string): void {
    this.remove.run(kind, sourceId, this.targetGuildId);
  }

  /** Before a send: the message is in flight to `where`. */
  markInFlight(sourceId: string, where: string): void {
    this.put.run('message-inflight', sourceId, this.targetGuildId, where, new Date().toISOString());
  }

  clearInFlight(sourceId: string): void {
    this.remove.run('message-inflight', sourceId, this.targetGuildId);
  }

  /** The send in flight to `where` when an earlier run stopped, if any. */
  inFlightAt(where: string): InFlight | undefined {
    const row = this.inflight.get(this.targetGuildId, where) as { source_id: string; target_id: string } | undefined;
    return row && { sourceId: row.source_id, where: row.target_id };
  }

  /** After a send: the message and (for a new forum post) its thread, and the in-flight mark gone, in one transaction. */
  recordSent(sourceId: string, targetId: string, thread?: { sourceId: string; targetId: string }): void {
    this.vault.transaction(() => {
      this.record('message', sourceId, targetId);
      if (thread) this.record('thread', thread.sourceId, thread.targetId);
      this.clearInFlight(sourceId);
    });
  }
}
