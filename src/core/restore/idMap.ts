import type { Vault } from '../vault';

/**
 * What a restore maps: roles, channels, threads, emojis and stickers get new
 * ids when they are created again; an 'image' maps a stored icon or banner
 * (source id `owner/field/sha256`) to the image hash Discord gave it there.
 */
export type MappedKind = 'role' | 'channel' | 'thread' | 'emoji' | 'sticker' | 'image';

/** The target id a restore created for `sourceId` in `targetGuildId`, if any. */
export function mappedId(vault: Vault, kind: MappedKind, sourceId: string, targetGuildId: string): string | undefined {
  const row = vault.db.prepare('SELECT target_id FROM id_map WHERE kind = ? AND source_id = ? AND target_guild_id = ?').get(kind, sourceId, targetGuildId) as { target_id: string } | undefined;
  return row?.target_id;
}

/** Records a created object at once (its own implicit transaction), so a resumed restore finds it. */
export function recordMapping(vault: Vault, kind: MappedKind, sourceId: string, targetGuildId: string, targetId: string): void {
  vault.db
    .prepare('INSERT OR REPLACE INTO id_map (kind, source_id, target_guild_id, target_id, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(kind, sourceId, targetGuildId, targetId, new Date().toISOString());
}
