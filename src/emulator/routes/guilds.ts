/** Guild reads: the guild, roles, channels, members, bans, emojis, stickers, events, auto-moderation, webhooks. */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, missingAccess, unknown } from '../http/apiError';
import type { SoundboardSound } from '../world/model';
import type { Router } from '../http/router';
import { compareSnowflakes } from '../ids/snowflake';
import { presentChannel, presentGuild, presentUser, sortedRoles } from './present';
import { requireGuild, requireGuildPermission } from './access';

/** Items sorted by id, paged Discord-style: `after` ascending from the start, `before` the ones just below. */
export function pageById<T>(items: T[], idOf: (t: T) => string, opts: { before?: string; after?: string; limit: number }): T[] {
  let list = [...items].sort((a, b) => compareSnowflakes(idOf(a), idOf(b)));
  if (opts.after) list = list.filter((t) => compareSnowflakes(idOf(t), opts.after!) > 0);
  if (opts.before) list = list.filter((t) => compareSnowflakes(idOf(t), opts.before!) < 0);
  return opts.before && !opts.after ? list.slice(-opts.limit) : list.slice(0, opts.limit);
}

export function guildRoutes(router: Router): void {
  router.get('/guilds/{guild_id}', (ctx) => {
    const guild = requireGuild(ctx);
    return { body: presentGuild(guild, ctx.query.bool('with_counts') ?? false) };
  });

  router.get('/guilds/{guild_id}/roles', (ctx) => ({ body: sortedRoles(requireGuild(ctx)) }));

  router.get('/guilds/{guild_id}/roles/{role_id}', (ctx) => {
    const role = requireGuild(ctx).roles.get(ctx.params.role_id);
    if (!role) throw unknown('role');
    return { body: role };
  });

  router.get('/guilds/{guild_id}/channels', (ctx) => ({ body: [...requireGuild(ctx).channels.values()].map(presentChannel) }));

  router.get('/guilds/{guild_id}/members', (ctx) => {
    const guild = requireGuild(ctx);
    if (!ctx.world.intents.guildMembers) throw missingAccess();
    const limit = ctx.query.int('limit', { min: 1, max: 1000, default: 1 });
    const after = ctx.query.snowflake('after');
    const members = pageById([...guild.members.values()], (m) => m.user.id, { after, limit });
    return { body: members.map((m) => ({ ...m, user: presentUser(m.user) })) };
  });

  router.get('/guilds/{guild_id}/members/{user_id}', (ctx) => {
    const member = requireGuild(ctx).members.get(ctx.params.user_id);
    if (!member) throw unknown('member');
    return { body: { ...member, user: presentUser(member.user) } };
  });

  router.get('/guilds/{guild_id}/bans', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    const limit = ctx.query.int('limit', { min: 1, max: 1000, default: 1000 });
    const before = ctx.query.snowflake('before');
    const after = ctx.query.snowflake('after');
    const bans = pageById([...guild.bans.values()], (b) => b.user.id, { before, after, limit });
    return { body: bans.map((b) => ({ user: presentUser(b.user), reason: b.reason })) };
  });

  router.get('/guilds/{guild_id}/bans/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    const ban = guild.bans.get(ctx.params.user_id);
    if (!ban) throw unknown('ban');
    return { body: { user: presentUser(ban.user), reason: ban.reason } };
  });

  router.get('/guilds/{guild_id}/emojis', (ctx) => ({ body: [...requireGuild(ctx).emojis.values()] }));
  router.get('/guilds/{guild_id}/emojis/{emoji_id}', (ctx) => {
    const emoji = requireGuild(ctx).emojis.get(ctx.params.emoji_id);
    if (!emoji) throw unknown('emoji');
    return { body: emoji };
  });

  router.get('/guilds/{guild_id}/stickers', (ctx) => ({ body: [...requireGuild(ctx).stickers.values()] }));
  router.get('/guilds/{guild_id}/stickers/{sticker_id}', (ctx) => {
    const sticker = requireGuild(ctx).stickers.get(ctx.params.sticker_id);
    if (!sticker) throw unknown('sticker');
    return { body: sticker };
  });

  router.get('/guilds/{guild_id}/scheduled-events', (ctx) => {
    const guild = requireGuild(ctx);
    const withCount = ctx.query.bool('with_user_count') ?? false;
    return {
      body: [...guild.scheduledEvents.values()].map((e) => {
        const { user_count, ...rest } = e as typeof e & { user_count?: number };
        return withCount ? { ...rest, user_count } : rest;
      }),
    };
  });

  router.get('/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', (ctx) => {
    const event = requireGuild(ctx).scheduledEvents.get(ctx.params.guild_scheduled_event_id);
    if (!event) throw unknown('scheduledEvent');
    const { user_count, ...rest } = event as typeof event & { user_count?: number };
    return { body: ctx.query.bool('with_user_count') ? { ...rest, user_count } : rest };
  });

  router.get('/guilds/{guild_id}/auto-moderation/rules/{rule_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    const rule = guild.autoModRules.get(ctx.params.rule_id);
    if (!rule) throw unknown('autoModRule');
    return { body: rule };
  });

  router.get('/guilds/{guild_id}/auto-moderation/rules', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    return { body: [...guild.autoModRules.values()] };
  });

  router.get('/guilds/{guild_id}/welcome-screen', (ctx) => {
    const guild = requireGuild(ctx);
    // Anyone may read an enabled welcome screen; a disabled one needs MANAGE_GUILD.
    if (!guild.guild.features.includes('WELCOME_SCREEN_ENABLED')) requireGuildPermission(ctx, guild, P.ManageGuild);
    return { body: guild.welcomeScreen };
  });

  router.get('/guilds/{guild_id}/onboarding', (ctx) => ({ body: requireGuild(ctx).onboarding }));

  router.get('/guilds/{guild_id}/soundboard-sounds', (ctx) => ({ body: { items: [...requireGuild(ctx).soundboardSounds.values()].map(presentSound) } }));
  router.get('/guilds/{guild_id}/soundboard-sounds/{sound_id}', (ctx) => {
    const sound = requireGuild(ctx).soundboardSounds.get(ctx.params.sound_id);
    if (!sound) throw new ApiError(404, 10097, 'Unknown Soundboard Sound');
    return { body: presentSound(sound) };
  });

  router.get('/guilds/{guild_id}/webhooks', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageWebhooks);
    return { body: [...guild.webhooks.values()] };
  });
}

export function presentSound(sound: SoundboardSound): Record<string, unknown> {
  return { ...sound, user: sound.user ? presentUser(sound.user) : undefined };
}
