import { apiRoute } from '../discord/apiRoute';
import type { DiscordClient } from '../discord/discordClient';
import { basePermissions, hasPermission, PermissionFlagsBits, permissionNames } from '../snapshots/permissions';

type Json = Record<string, unknown>;

/**
 * What the bot may change in the target server: its permissions and its place
 * in the role hierarchy (Discord lets a bot manage only roles strictly below
 * its highest role, unless it owns the server).
 */
export interface BotPower {
  botId: string;
  isOwner: boolean;
  roleIds: string[];
  base: bigint;
  /** Position of the bot's highest role (0: it has only @everyone). */
  top: number;
  topRoleName?: string;
}

export async function readBotPower(client: DiscordClient, guild: Json, roles: Json[], signal?: AbortSignal): Promise<BotPower> {
  const guildId = String(guild.id);
  const me = await client.getCurrentUser({ signal });
  const member = await client.get<Json>(apiRoute`/guilds/${guildId}/members/${me.id}`, { signal });
  const roleIds = ((member.roles as unknown[] | undefined) ?? []).map(String);
  const ownerId = guild.owner_id === undefined ? undefined : String(guild.owner_id);
  const base = basePermissions(guildId, ownerId, me.id, roleIds, roles.map((r) => ({ id: String(r.id), permissions: r.permissions })));
  let top = 0;
  let topRoleName: string | undefined;
  for (const role of roles) {
    if (roleIds.includes(String(role.id)) && Number(role.position) > top) {
      top = Number(role.position);
      topRoleName = String(role.name);
    }
  }
  return { botId: me.id, isOwner: ownerId === me.id, roleIds, base, top, topRoleName };
}

export function can(power: BotPower, flag: bigint): boolean {
  return power.isOwner || hasPermission(power.base, flag);
}

/** Why the bot may not write these permission bits (a role's or an overwrite's), or undefined. */
export function ungrantable(power: BotPower, bits: bigint): string | undefined {
  if (power.isOwner || hasPermission(power.base, PermissionFlagsBits.Administrator)) return undefined;
  const missing = bits & ~power.base;
  return missing === 0n ? undefined : `needs permissions the bot lacks: ${permissionNames(missing).join(', ')}`;
}

/** Why the bot may not manage a role at this position, or undefined. */
export function outranked(power: BotPower, position: number, name: string): string | undefined {
  if (power.isOwner) return undefined;
  if (power.roleIds.length === 0) return 'the bot has no role of its own in this server, so every role is above it (give the bot a role)';
  if (position >= power.top) return `@${name} is at or above the bot's highest role @${power.topRoleName}: move the bot's role above it`;
  return undefined;
}

export { PermissionFlagsBits };
