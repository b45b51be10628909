/**
 * Channel writes: create, modify (channels and threads), delete, reorder, and
 * permission overwrites. The bot needs MANAGE_CHANNELS (MANAGE_THREADS for
 * threads) and, to write overwrites, MANAGE_ROLES and every permission it allows or denies.
 */
import type { APIOverwrite } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, invalidFormBody, missingPermissions, unknown } from '../http/apiError';
import { field, parseArrayBody, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import type { ChannelRecord, GuildState } from '../world/model';
import { basePermissions, channelPermissions, has, isThread } from '../world/permissions';
import { presentChannel } from './present';
import { requireChannel, requireChannelPermission, requireGuild, requireGuildPermission } from './access';

const GUILD_CHANNEL_TYPES = [0, 2, 4, 5, 13, 15, 16];

const overwriteShape = {
  id: field.snowflake({ required: true }),
  type: field.int({ choices: [0, 1], required: true }),
  allow: field.permissions({ nullable: true }),
  deny: field.permissions({ nullable: true }),
};
const tagShape = field.object({ id: field.snowflake(), name: field.string({ min: 0, max: 20, required: true }), moderated: field.bool(), emoji_id: field.snowflake({ nullable: true }), emoji_name: field.string({ nullable: true }) });
const channelShape = {
  name: field.string({ min: 1, max: 100 }),
  type: field.int({ choices: GUILD_CHANNEL_TYPES }),
  topic: field.string({ max: 4096, nullable: true }),
  bitrate: field.int({ min: 8000, max: 384000, nullable: true }),
  user_limit: field.int({ min: 0, max: 99, nullable: true }),
  rate_limit_per_user: field.int({ min: 0, max: 21600, nullable: true }),
  position: field.int({ nullable: true }),
  permission_overwrites: field.array(field.object(overwriteShape), { max: 100, nullable: true }),
  parent_id: field.snowflake({ nullable: true }),
  nsfw: field.bool(),
  rtc_region: field.string({ nullable: true }),
  default_auto_archive_duration: field.int({ choices: [60, 1440, 4320, 10080], nullable: true }),
  default_reaction_emoji: field.object({ emoji_id: field.snowflake({ nullable: true }), emoji_name: field.string({ nullable: true }) }, { nullable: true }),
  available_tags: field.array(tagShape, { max: 20, nullable: true }),
  default_sort_order: field.int({ choices: [0, 1], nullable: true }),
  default_forum_layout: field.int({ choices: [0, 1, 2] }),
  default_thread_rate_limit_per_user: field.int({ min: 0, max: 21600 }),
  flags: field.int(),
  // threads
  archived: field.bool(),
  locked: field.bool(),
  invitable: field.bool(),
  auto_archive_duration: field.int({ choices: [60, 1440, 4320, 10080] }),
  applied_tags: field.array(field.snowflake(), { max: 5 }),
};

type ChannelBody = Partial<Omit<ChannelRecord, 'permission_overwrites'>> & {
  permission_overwrites?: Array<{ id: string; type: number; allow?: string | null; deny?: string | null }> | null;
  archived?: boolean;
  locked?: boolean;
  invitable?: boolean;
  auto_archive_duration?: number;
};

/** The bot may write an overwrite only with MANAGE_ROLES and only for permissions it has itself. */
function requireOverwritable(ctx: RequestContext, guild: GuildState, channel: ChannelRecord | undefined, allow: bigint, deny: bigint): void {
  const perms = channel ? channelPermissions(guild, ctx.world.bot.id, channel) : basePermissions(guild, ctx.world.bot.id);
  if (has(perms, P.Administrator) || guild.guild.owner_id === ctx.world.bot.id) return;
  if (!has(perms, P.ManageRoles)) throw missingPermissions();
  if (((allow | deny) & ~perms) !== 0n) throw missingPermissions();
}

function toOverwrites(ctx: RequestContext, guild: GuildState, channel: ChannelRecord | undefined, list: ChannelBody['permission_overwrites']): APIOverwrite[] {
  const out: APIOverwrite[] = [];
  for (const [i, o] of (list ?? []).entries()) {
    if (o.type === 0 && !guild.roles.has(o.id)) throw invalidFormBody([{ path: ['permission_overwrites', i, 'id'], code: 'UNKNOWN_ROLE', message: 'Unknown role' }]);
    const allow = BigInt(o.allow ?? '0');
    const deny = BigInt(o.deny ?? '0');
    requireOverwritable(ctx, guild, channel, allow, deny);
    out.push({ id: o.id, type: o.type, allow: allow.toString(), deny: deny.toString() });
  }
  return out;
}

function requireCategory(guild: GuildState, parentId: string | null | undefined): void {
  if (parentId && guild.channels.get(parentId)?.type !== 4)
    throw invalidFormBody([{ path: ['parent_id'], code: 'CHANNEL_PARENT_INVALID', message: 'Category does not exist' }]);
}

function applyChannelBody(ctx: RequestContext, guild: GuildState, channel: ChannelRecord, body: ChannelBody): void {
  const simple = ['name', 'topic', 'bitrate', 'user_limit', 'rate_limit_per_user', 'position', 'nsfw', 'rtc_region', 'default_auto_archive_duration', 'default_reaction_emoji', 'default_sort_order', 'default_forum_layout', 'default_thread_rate_limit_per_user', 'flags', 'applied_tags'] as const;
  for (const key of simple) if (body[key] !== undefined) (channel as unknown as Record<string, unknown>)[key] = body[key];
  if (body.parent_id !== undefined) {
    requireCategory(guild, body.parent_id);
    channel.parent_id = body.parent_id;
  }
  if (body.permission_overwrites !== undefined) channel.permission_overwrites = toOverwrites(ctx, guild, channel, body.permission_overwrites);
  if (body.available_tags !== undefined)
    channel.available_tags = (body.available_tags ?? []).map((t) => ({ id: t.id ?? ctx.world.liveIds.next(), name: t.name, moderated: t.moderated ?? false, emoji_id: t.emoji_id ?? null, emoji_name: t.emoji_name ?? null }));
  if (channel.thread_metadata) {
    const meta = channel.thread_metadata;
    if (body.archived !== undefined && body.archived !== meta.archived) {
      meta.archived = body.archived;
      meta.archive_timestamp = new Date().toISOString();
    }
    if (body.locked !== undefined) meta.locked = body.locked;
    if (body.invitable !== undefined && channel.type === 12) meta.invitable = body.invitable;
    if (body.auto_archive_duration !== undefined) meta.auto_archive_duration = body.auto_archive_duration;
  }
}

export function newChannel(ctx: RequestContext, guild: GuildState, type: number, name: string): ChannelRecord {
  const channel: ChannelRecord = { id: ctx.world.liveIds.next(), type, guild_id: guild.guild.id, name, position: 0, parent_id: null, flags: 0, permission_overwrites: [] };
  if (type === 0 || type === 5) Object.assign(channel, { topic: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null });
  if (type === 2 || type === 13) Object.assign(channel, { bitrate: 64000, user_limit: 0, rtc_region: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null });
  if (type === 15 || type === 16)
    Object.assign(channel, { topic: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null, available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0, default_thread_rate_limit_per_user: 0 });
  return channel;
}

export function deleteChannelEverywhere(ctx: RequestContext, guild: GuildState, channel: ChannelRecord): void {
  for (const t of [...guild.threads.values()]) if (t.parent_id === channel.id) deleteChannelEverywhere(ctx, guild, t);
  ctx.world.unregisterChannel(channel.id);
  guild.messageStores.delete(channel.id);
  guild.joinedThreadIds.delete(channel.id);
  for (const c of guild.channels.values()) if (c.parent_id === channel.id) c.parent_id = null;
  for (const [id, w] of guild.webhooks) if (w.channel_id === channel.id) guild.webhooks.delete(id);
}

export function channelWriteRoutes(router: Router): void {
  router.post('/guilds/{guild_id}/channels', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageChannels);
    const body = parseBody<ChannelBody>(ctx.body, { ...channelShape, name: field.string({ min: 1, max: 100, required: true }) });
    if (guild.channels.size >= 500) throw new ApiError(400, 30013, 'Maximum number of guild channels reached (500)');
    requireCategory(guild, body.parent_id);
    const channel = newChannel(ctx, guild, body.type ?? 0, body.name!);
    channel.position = body.position ?? [...guild.channels.values()].filter((c) => (c.type === 4) === (channel.type === 4)).length;
    applyChannelBody(ctx, guild, channel, { ...body, position: undefined });
    if (body.permission_overwrites === undefined && channel.parent_id) channel.permission_overwrites = structuredClone(guild.channels.get(channel.parent_id)!.permission_overwrites ?? []);
    ctx.world.registerChannel(guild, channel);
    if (channel.type !== 4 && channel.type !== 15 && channel.type !== 16) ctx.world.ensureMessageStore(guild, channel.id);
    return { status: 201, body: presentChannel(channel) };
  });

  router.patch('/channels/{channel_id}', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    const body = parseBody<ChannelBody>(ctx.body, channelShape);
    if (isThread(channel)) {
      const ownsIt = channel.owner_id === ctx.world.bot.id;
      if (!ownsIt || body.locked !== undefined) requireChannelPermission(perms, P.ManageThreads);
      // Discord refuses any other edit of an archived thread unless the same request unarchives it.
      const edits = Object.entries(body).filter(([key, value]) => value !== undefined && key !== 'archived' && key !== 'locked');
      if (channel.thread_metadata?.archived && body.archived !== false && edits.length > 0) throw new ApiError(400, 50083, 'Thread is archived');
    } else requireChannelPermission(perms, P.ManageChannels);
    if (body.type !== undefined && body.type !== channel.type) {
      // Discord converts only between text and announcement channels.
      if (![0, 5].includes(channel.type) || ![0, 5].includes(body.type)) throw invalidFormBody([{ path: ['type'], code: 'CHANNEL_TYPE_INVALID', message: 'Cannot change channel type' }]);
      channel.type = body.type;
    }
    applyChannelBody(ctx, guild, channel, body);
    return { body: presentChannel(channel) };
  });

  router.delete('/channels/{channel_id}', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    requireChannelPermission(perms, isThread(channel) ? P.ManageThreads : P.ManageChannels);
    if (!isThread(channel) && (guild.guild.rules_channel_id === channel.id || guild.guild.public_updates_channel_id === channel.id))
      throw new ApiError(400, 50074, 'Cannot delete a channel required for Community guilds');
    deleteChannelEverywhere(ctx, guild, channel);
    return { body: presentChannel(channel) };
  });

  router.patch('/guilds/{guild_id}/channels', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageChannels);
    const moves = parseArrayBody<{ id: string; position?: number | null; parent_id?: string | null; lock_permissions?: boolean | null }>(ctx.body, {
      id: field.snowflake({ required: true }),
      position: field.int({ nullable: true }),
      parent_id: field.snowflake({ nullable: true }),
      lock_permissions: field.any(),
    });
    for (const [i, move] of moves.entries()) {
      const channel = guild.channels.get(move.id);
      if (!channel) throw invalidFormBody([{ path: [i, 'id'], code: 'CHANNEL_INVALID', message: 'Unknown channel' }]);
      if (move.parent_id !== undefined) requireCategory(guild, move.parent_id);
    }
    for (const move of moves) {
      const channel = guild.channels.get(move.id)!;
      if (move.position != null) channel.position = move.position;
      if (move.parent_id !== undefined) channel.parent_id = move.parent_id;
      if (move.lock_permissions && channel.parent_id) channel.permission_overwrites = structuredClone(guild.channels.get(channel.parent_id)!.permission_overwrites ?? []);
    }
    return {};
  });

  router.put('/channels/{channel_id}/permissions/{overwrite_id}', (ctx) => {
    const { guild, channel } = requireChannel(ctx);
    if (isThread(channel)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    const body = parseBody<{ type: number; allow?: string | null; deny?: string | null }>(ctx.body, {
      type: field.int({ choices: [0, 1], required: true }),
      allow: field.permissions({ nullable: true }),
      deny: field.permissions({ nullable: true }),
    });
    const id = ctx.params.overwrite_id;
    if (body.type === 0 && !guild.roles.has(id)) throw unknown('role');
    if (body.type === 1 && !ctx.world.users.has(id)) throw unknown('user');
    const allow = BigInt(body.allow ?? '0');
    const deny = BigInt(body.deny ?? '0');
    requireOverwritable(ctx, guild, channel, allow, deny);
    const list = (channel.permission_overwrites ??= []);
    const entry = { id, type: body.type, allow: allow.toString(), deny: deny.toString() };
    const at = list.findIndex((o) => o.id === id);
    if (at >= 0) list[at] = entry;
    else list.push(entry);
    return {};
  });

  router.delete('/channels/{channel_id}/permissions/{overwrite_id}', (ctx) => {
    const { guild, channel } = requireChannel(ctx);
    const list = channel.permission_overwrites ?? [];
    const at = list.findIndex((o) => o.id === ctx.params.overwrite_id);
    if (at < 0) throw unknown('overwrite');
    requireOverwritable(ctx, guild, channel, BigInt(list[at].allow), BigInt(list[at].deny));
    list.splice(at, 1);
    return {};
  });
}
