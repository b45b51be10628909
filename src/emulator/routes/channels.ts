/** Channel reads: a channel, active and archived threads, channel webhooks. */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { RequestContext, Router } from '../http/router';
import { compareSnowflakes } from '../ids/snowflake';
import type { ChannelRecord, GuildState } from '../world/model';
import { channelPermissions, has } from '../world/permissions';
import { presentChannel } from './present';
import { requireChannel, requireChannelPermission, requireGuild } from './access';

function threadMembers(ctx: RequestContext, guild: GuildState, threads: ChannelRecord[]) {
  return threads
    .filter((t) => guild.joinedThreadIds.has(t.id))
    .map((t) => ({ id: t.id, user_id: ctx.world.bot.id, join_timestamp: t.thread_metadata?.create_timestamp ?? new Date(0).toISOString(), flags: 1 }));
}

function botCanSeeThread(ctx: RequestContext, guild: GuildState, thread: ChannelRecord): boolean {
  const perms = channelPermissions(guild, ctx.world.bot.id, thread);
  if (!has(perms, P.ViewChannel)) return false;
  return thread.type !== 12 || guild.joinedThreadIds.has(thread.id) || has(perms, P.ManageThreads);
}

function byArchiveTimeDesc(a: ChannelRecord, b: ChannelRecord): number {
  const d = Date.parse(b.thread_metadata!.archive_timestamp) - Date.parse(a.thread_metadata!.archive_timestamp);
  return d !== 0 ? d : compareSnowflakes(b.id, a.id);
}

export function channelRoutes(router: Router): void {
  router.get('/channels/{channel_id}', (ctx) => ({ body: presentChannel(requireChannel(ctx).channel) }));

  router.get('/guilds/{guild_id}/threads/active', (ctx) => {
    const guild = requireGuild(ctx);
    const threads = [...guild.threads.values()].filter((t) => !t.thread_metadata?.archived && botCanSeeThread(ctx, guild, t));
    return { body: { threads: threads.map(presentChannel), members: threadMembers(ctx, guild, threads), has_more: false } };
  });

  const archived = (kind: 'public' | 'private') => (ctx: RequestContext) => {
    const { guild, channel, perms } = requireChannel(ctx);
    requireChannelPermission(perms, P.ReadMessageHistory);
    if (kind === 'private') requireChannelPermission(perms, P.ManageThreads);
    const before = ctx.query.isoTimestamp('before');
    const limit = ctx.query.int('limit', { min: 2, max: 100, default: 50 });
    const types = kind === 'public' ? [10, 11] : [12];
    let threads = [...guild.threads.values()]
      .filter((t) => t.parent_id === channel.id && t.thread_metadata?.archived && types.includes(t.type))
      .sort(byArchiveTimeDesc);
    if (before) threads = threads.filter((t) => Date.parse(t.thread_metadata!.archive_timestamp) < Date.parse(before));
    const page = threads.slice(0, limit);
    return { body: { threads: page.map(presentChannel), members: threadMembers(ctx, guild, page), has_more: threads.length > limit } };
  };
  router.get('/channels/{channel_id}/threads/archived/public', archived('public'));
  router.get('/channels/{channel_id}/threads/archived/private', archived('private'));

  router.get('/channels/{channel_id}/users/@me/threads/archived/private', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    requireChannelPermission(perms, P.ReadMessageHistory);
    const before = ctx.query.snowflake('before');
    const limit = ctx.query.int('limit', { min: 2, max: 100, default: 50 });
    let threads = [...guild.threads.values()]
      .filter((t) => t.parent_id === channel.id && t.type === 12 && t.thread_metadata?.archived && guild.joinedThreadIds.has(t.id))
      .sort((a, b) => compareSnowflakes(b.id, a.id));
    if (before) threads = threads.filter((t) => compareSnowflakes(t.id, before) < 0);
    const page = threads.slice(0, limit);
    return { body: { threads: page.map(presentChannel), members: threadMembers(ctx, guild, page), has_more: threads.length > limit } };
  });

  router.get('/channels/{channel_id}/webhooks', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    requireChannelPermission(perms, P.ManageWebhooks);
    return { body: [...guild.webhooks.values()].filter((w) => w.channel_id === channel.id) };
  });
}
