import type { DiscordClient } from '../discord/discordClient';
import { GuildVaultError, isGuildVaultError } from '../errors';
import { basePermissions, channelPermissions, hasPermission, toBits, type OverwriteLike } from './permissions';

type Json = Record<string, unknown>;

/**
 * What the bot may do in a server, computed from its roles the way Discord
 * does. The capture asks it before requests that would only answer 403:
 * Discord bans an IP after 10,000 invalid requests in 10 minutes, and a
 * server with 500 channels hidden from the bot would otherwise cost 500 of
 * them per snapshot.
 */
export interface BotAccess {
  botId: string;
  isOwner: boolean;
  /** The bot's role ids. */
  roleIds: string[];
  base: bigint;
  in(channel: Json): bigint;
  has(bits: bigint, flag: bigint): boolean;
}

/** Two requests (the bot user, its member). Undefined when they fail: the capture then simply asks. */
export async function readBotAccess(client: DiscordClient, guild: Json, signal: AbortSignal | undefined): Promise<BotAccess | undefined> {
  const guildId = String(guild.id);
  try {
    const me = await client.get<Json>('/users/@me', { signal });
    const member = await client.get<Json>(`/guilds/${guildId}/members/${String(me.id)}`, { signal });
    return botAccessFrom(guild, String(me.id), member);
  } catch (error) {
    if (memberUnreadable(error)) return undefined;
    throw error;
  }
}

/**
 * Whether a failure to read the bot's own member should only cost the
 * precision of the permission checks (the caller falls back), not the job:
 * Discord refused it, does not know it, failed on it (5xx after retries), or
 * answered it oddly. A rejected token, a cancel or an unreachable API still
 * end the job.
 */
export function memberUnreadable(error: unknown): boolean {
  return error instanceof GuildVaultError && ['MISSING_PERMISSION', 'MISSING_ACCESS', 'UNKNOWN_RESOURCE', 'API_ERROR', 'API_NOT_DISCORD', 'BAD_REQUEST'].includes(error.code);
}

/**
 * The bot's server-wide permissions as Discord lists them with its servers
 * (GET /users/@me/guilds: owner and Administrator already folded in), for when
 * its member object cannot be read. Undefined when that fails too. Channel
 * overwrites for the bot's roles stay unknown: callers try each channel and
 * record what Discord refuses.
 */
export async function guildPermissionsFromGuildList(client: DiscordClient, guildId: string, signal: AbortSignal | undefined): Promise<bigint | undefined> {
  try {
    const guilds = await client.getCurrentUserGuilds({ signal });
    const entry = guilds.find((guild) => guild.id === guildId);
    return entry ? toBits(entry.permissions) : undefined;
  } catch (error) {
    if (isGuildVaultError(error, 'CANCELLED')) throw error;
    return undefined;
  }
}

/** The bot's access from the guild object (with its roles) and the bot's member object. */
export function botAccessFrom(guild: Json, botId: string, member: Json): BotAccess {
  const guildId = String(guild.id);
  const roles = ((guild.roles as Json[] | undefined) ?? []).map((role) => ({ id: String(role.id), permissions: role.permissions }));
  const roleIds = ((member.roles as unknown[] | undefined) ?? []).map(String);
  const ownerId = guild.owner_id === undefined ? undefined : String(guild.owner_id);
  return accessWith(guild, botId, roleIds, basePermissions(guildId, ownerId, botId, roleIds, roles));
}

/**
 * The bot's access when its member object could not be read: `base` is its
 * server-wide permissions as Discord lists them (guildPermissionsFromGuildList);
 * its roles are unknown, so overwrites for them are not applied.
 */
export function botAccessWithoutMember(guild: Json, botId: string, base: bigint): BotAccess {
  return accessWith(guild, botId, [], base);
}

function accessWith(guild: Json, botId: string, roleIds: string[], base: bigint): BotAccess {
  const guildId = String(guild.id);
  const ownerId = guild.owner_id === undefined ? undefined : String(guild.owner_id);
  return {
    botId,
    isOwner: ownerId === botId,
    roleIds,
    base,
    in: (channel) => {
      const overwrites = ((channel.permission_overwrites as Json[] | undefined) ?? []).map(
        (o): OverwriteLike => ({ id: String(o.id), type: Number(o.type), allow: String(o.allow ?? '0'), deny: String(o.deny ?? '0') }),
      );
      return channelPermissions(base, guildId, botId, roleIds, overwrites);
    },
    has: hasPermission,
  };
}
