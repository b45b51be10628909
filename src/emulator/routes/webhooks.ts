/**
 * Webhooks: create, read, modify, delete, and execute (`?wait=true` returns the
 * message; `thread_id` posts into a thread; `thread_name` opens a forum post).
 * Execution is authenticated by the token in the path, not the bot token.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, RateLimitedError, invalidFormBody, unknown } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import { webhookAuthor, type GuildState, type WebhookRecord } from '../world/model';
import { createHash } from 'node:crypto';
import { isThread } from '../world/permissions';
import { presentMessage, presentUser } from './present';
import { requireChannel, requireChannelPermission } from './access';
import { storeImage } from './images';
import { messageShape, postMessage, type MessageBody } from './messageWrites';

function findWebhook(ctx: RequestContext): { guild: GuildState; hook: WebhookRecord } {
  for (const guild of ctx.world.guilds.values()) {
    const hook = guild.webhooks.get(ctx.params.webhook_id);
    if (hook) return { guild, hook };
  }
  throw unknown('webhook');
}

function requireToken(ctx: RequestContext, hook: WebhookRecord): void {
  if (ctx.params.webhook_token !== hook.token) throw new ApiError(401, 50027, 'Invalid Webhook Token');
}

/** A webhook as returned to the bot (with its token) or to a token holder (without user). */
function presentWebhook(hook: WebhookRecord, withToken = true): Record<string, unknown> {
  const { token, ...rest } = hook;
  return withToken ? { ...rest, token } : { ...rest, user: undefined };
}

export function webhookRoutes(router: Router): void {
  router.post('/channels/{channel_id}/webhooks', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    if (isThread(channel) || channel.type === 4 || channel.type === 2) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    requireChannelPermission(perms, P.ManageWebhooks);
    const body = parseBody<{ name: string; avatar?: string | null }>(ctx.body, { name: field.string({ min: 1, max: 80, required: true }), avatar: field.any() });
    if (/clyde|discord/i.test(body.name)) throw invalidFormBody([{ path: ['name'], code: 'WEBHOOK_INVALID_NAME', message: 'Webhook names cannot contain "clyde" or "discord"' }]);
    if ([...guild.webhooks.values()].filter((w) => w.channel_id === channel.id).length >= 15) throw new ApiError(400, 30007, 'Maximum number of webhooks reached (15)');
    const id = ctx.world.liveIds.next();
    const hook = {
      id,
      type: 1,
      guild_id: guild.guild.id,
      channel_id: channel.id,
      name: body.name,
      avatar: body.avatar ? storeImage(ctx.world, 'avatar', (h) => `avatars/${id}/${h}`, body.avatar) : null,
      application_id: ctx.world.applicationId,
      user: presentUser(ctx.world.bot),
      token: createHash('sha256').update(`${ctx.world.seed}:${id}`).digest('base64url') + createHash('md5').update(id).digest('base64url'),
    } as unknown as WebhookRecord;
    guild.webhooks.set(id, hook);
    return { body: presentWebhook(hook) };
  });

  router.get('/webhooks/{webhook_id}', (ctx) => {
    const { guild, hook } = findWebhook(ctx);
    const channel = requireChannel(ctx, hook.channel_id!);
    requireChannelPermission(channel.perms, P.ManageWebhooks);
    void guild;
    return { body: presentWebhook(hook) };
  });
  router.patch('/webhooks/{webhook_id}', (ctx) => {
    const { guild, hook } = findWebhook(ctx);
    requireChannelPermission(requireChannel(ctx, hook.channel_id!).perms, P.ManageWebhooks);
    const body = parseBody<{ name?: string; avatar?: string | null; channel_id?: string }>(ctx.body, { name: field.string({ min: 1, max: 80 }), avatar: field.any(), channel_id: field.snowflake() });
    if (body.name !== undefined) hook.name = body.name;
    if (body.avatar !== undefined) hook.avatar = storeImage(ctx.world, 'avatar', (h) => `avatars/${hook.id}/${h}`, body.avatar);
    if (body.channel_id !== undefined) {
      if (!guild.channels.has(body.channel_id)) throw unknown('channel');
      hook.channel_id = body.channel_id;
    }
    return { body: presentWebhook(hook) };
  });
  router.delete('/webhooks/{webhook_id}', (ctx) => {
    const { guild, hook } = findWebhook(ctx);
    requireChannelPermission(requireChannel(ctx, hook.channel_id!).perms, P.ManageWebhooks);
    guild.webhooks.delete(hook.id);
    return {};
  });

  router.get(
    '/webhooks/{webhook_id}/{webhook_token}',
    (ctx) => {
      const { hook } = findWebhook(ctx);
      requireToken(ctx, hook);
      return { body: presentWebhook(hook, false) };
    },
    { auth: false },
  );
  router.delete(
    '/webhooks/{webhook_id}/{webhook_token}',
    (ctx) => {
      const { guild, hook } = findWebhook(ctx);
      requireToken(ctx, hook);
      guild.webhooks.delete(hook.id);
      return {};
    },
    { auth: false },
  );

  router.post(
    '/webhooks/{webhook_id}/{webhook_token}',
    (ctx) => {
      const { guild, hook } = findWebhook(ctx);
      requireToken(ctx, hook);
      const wait = ctx.query.bool('wait') ?? false;
      const threadId = ctx.query.snowflake('thread_id');
      const body = parseBody<MessageBody & { username?: string; avatar_url?: string; thread_name?: string; applied_tags?: string[] }>(ctx.body, {
        ...messageShape,
        username: field.string({ min: 1, max: 80 }),
        avatar_url: field.string(),
        thread_name: field.string({ min: 1, max: 100 }),
        applied_tags: field.array(field.snowflake(), { max: 5 }),
      });
      if (body.username && /clyde|discord/i.test(body.username)) throw invalidFormBody([{ path: ['username'], code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "discord"' }]);
      const parent = guild.channels.get(hook.channel_id!);
      if (!parent) throw unknown('channel');
      const author = webhookAuthor(
        hook.id,
        body.username ?? hook.name,
        // Discord proxies avatar_url and names the result by a hash of it.
        body.avatar_url ? createHash('md5').update(body.avatar_url).digest('hex') : hook.avatar,
      );
      // Discord's per-channel limit on webhook messages (the channel they land in).
      const landing = threadId ?? parent.id;
      const wait429 = ctx.rateLimiter?.takeWebhookChannel(landing);
      if (wait429 !== undefined) throw new RateLimitedError(wait429, 'shared');
      let target = parent;
      const forum = parent.type === 15 || parent.type === 16;
      if (threadId) {
        const thread = guild.threads.get(threadId);
        if (!thread || thread.parent_id !== parent.id) throw unknown('channel');
        if (thread.thread_metadata?.archived) thread.thread_metadata.archived = false; // posting unarchives
        target = thread;
      } else if (forum) {
        if (!body.thread_name) throw new ApiError(400, 220001, 'Webhooks posted to forum channels must have a thread_name or thread_id');
        const id = ctx.world.liveIds.next();
        const now = new Date().toISOString();
        target = {
          id,
          type: 11,
          guild_id: guild.guild.id,
          name: body.thread_name,
          parent_id: parent.id,
          owner_id: hook.id,
          flags: 0,
          last_message_id: null,
          rate_limit_per_user: 0,
          thread_metadata: { archived: false, auto_archive_duration: 4320, archive_timestamp: now, locked: false, create_timestamp: now },
          message_count: 0,
          member_count: 0,
          total_message_sent: 0,
          applied_tags: (body.applied_tags ?? []).filter((t) => parent.available_tags?.some((a) => a.id === t)),
        };
        ctx.world.registerChannel(guild, target);
        const message = postMessage(ctx, guild, target, author, body, { webhookId: hook.id, id });
        target.message_count = 0;
        parent.last_message_id = id;
        return wait ? { body: presentMessage(ctx.world, message) } : {};
      } else if (body.thread_name) throw new ApiError(400, 220003, 'Webhooks can only create threads in forum channels');
      const message = postMessage(ctx, guild, target, author, body, { webhookId: hook.id });
      return wait ? { body: presentMessage(ctx.world, message) } : {};
    },
    { auth: false },
  );
}
