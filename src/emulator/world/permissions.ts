/**
 * Permissions computed the way Discord documents it: @everyone's permissions,
 * OR the member's roles; ADMINISTRATOR or ownership grants everything; then the
 * channel's overwrites in order: @everyone, the member's roles (denies then allows,
 * aggregated), the member. Threads use their parent's overwrites.
 */
import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { ChannelRecord, GuildState } from './model';

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function basePermissions(guild: GuildState, userId: string): bigint {
  if (guild.guild.owner_id === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  let perms = BigInt(guild.roles.get(guild.guild.id)?.permissions ?? '0');
  for (const roleId of member?.roles ?? []) perms |= BigInt(guild.roles.get(roleId)?.permissions ?? '0');
  return perms & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : perms;
}

export function channelPermissions(guild: GuildState, userId: string, channel: ChannelRecord): bigint {
  let perms = basePermissions(guild, userId);
  if (perms & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  const overwriteSource = isThread(channel) && channel.parent_id ? guild.channels.get(channel.parent_id) ?? channel : channel;
  const overwrites = overwriteSource.permission_overwrites ?? [];
  const everyone = overwrites.find((o) => o.id === guild.guild.id);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  const memberRoles = new Set(guild.members.get(userId)?.roles ?? []);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && memberRoles.has(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (own) perms = (perms & ~BigInt(own.deny)) | BigInt(own.allow);
  // Without VIEW_CHANNEL a member has no permission in the channel at all.
  if (!(perms & PermissionFlagsBits.ViewChannel)) return 0n;
  return perms;
}

export function has(perms: bigint, bit: bigint): boolean {
  return (perms & PermissionFlagsBits.Administrator) !== 0n || (perms & bit) === bit;
}

export function isThread(channel: { type: number }): boolean {
  return channel.type === 10 || channel.type === 11 || channel.type === 12;
}

/** Highest role position of a member (the @everyone role is 0). */
export function highestRolePosition(guild: GuildState, userId: string): number {
  let top = 0;
  for (const id of guild.members.get(userId)?.roles ?? []) top = Math.max(top, guild.roles.get(id)?.position ?? 0);
  return top;
}
