import type { Vault } from './vault';

/** What a vault remembers about its server, for lists and titles without a connection. */
export interface GuildIdentity {
  id: string;
  name: string;
  /** SHA-256 of the icon in the media pool, when it was downloaded. */
  iconSha256?: string;
}

/**
 * Records the server a vault belongs to (meta keys guild_id, guild_name,
 * guild_icon_sha256). Called by whatever reads the guild object: the
 * snapshot capture and the archive.
 */
export function recordGuildIdentity(vault: Vault, guild: { id: string; name: string }, options: { iconSha256?: string } = {}): void {
  vault.transaction(() => {
    vault.setMeta('guild_id', String(guild.id));
    vault.setMeta('guild_name', String(guild.name));
    if (options.iconSha256) vault.setMeta('guild_icon_sha256', options.iconSha256);
  });
}

export function readGuildIdentity(vault: Vault): GuildIdentity | undefined {
  const id = vault.getMeta('guild_id');
  if (!id) return undefined;
  return { id, name: vault.getMeta('guild_name') ?? id, iconSha256: vault.getMeta('guild_icon_sha256') };
}
