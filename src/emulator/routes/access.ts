/** Lookups every route needs, failing the way Discord does (404 unknown X, 403 50001/50013). */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { missingAccess, missingPermissions, unknown } from '../http/apiError';
import type { RequestContext } from '../http/router';
import type { ChannelRecord, GuildState } from '../world/model';
import { basePermissions, channelPermissions, has } from '../world/permissions';

export function requireGuild(ctx: RequestContext): GuildState {
  const guild = ctx.world.guild(ctx.params.guild_id);
  if (!guild) throw unknown('guild');
  return guild;
}

export function guildPermissions(ctx: RequestContext, guild: GuildState): bigint {
  return basePermissions(guild, ctx.world.bot.id);
}

/** 403 50013 unless the bot has every given permission guild-wide. */
export function requireGuildPermission(ctx: RequestContext, guild: GuildState, ...bits: bigint[]): void {
  const perms = guildPermissions(ctx, guild);
  for (const bit of bits) if (!has(perms, bit)) throw missingPermissions();
}

/**
 * The channel or thread in the path, visible to the bot: unknown -> 404 10003,
 * not viewable (or a private thread the bot is not in, without MANAGE_THREADS) -> 403 50001.
 */
export function requireChannel(ctx: RequestContext, id = ctx.params.channel_id): { guild: GuildState; channel: ChannelRecord; perms: bigint } {
  const found = ctx.world.channel(id);
  if (!found) throw unknown('channel');
  const perms = channelPermissions(found.guild, ctx.world.bot.id, found.channel);
  if (!has(perms, P.ViewChannel)) throw missingAccess();
  if (found.channel.type === 12 && !found.guild.joinedThreadIds.has(id) && !has(perms, P.ManageThreads)) throw missingAccess();
  return { ...found, perms };
}

export function requireChannelPermission(perms: bigint, ...bits: bigint[]): void {
  for (const bit of bits) if (!has(perms, bit)) throw missingPermissions();
}
