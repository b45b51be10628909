/**
 * Guild-level writes: the guild itself, bans and members (with hierarchy rules),
 * emojis, stickers, scheduled events and auto-moderation rules.
 */
import type { APIEmoji, APISticker } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, invalidFormBody, missingPermissions, unknown } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import type { GuildFields, GuildState, Onboarding, SoundboardSound, WelcomeScreen } from '../world/model';
import { presentSound } from './guilds';
import { highestRolePosition } from '../world/permissions';
import { presentGuild, presentUser } from './present';
import { requireGuild, requireGuildPermission } from './access';
import { storeImage } from './images';
import { requireRoleBelowBot } from './roleWrites';

/** 403 50013 unless the bot outranks the member (owners outrank everyone; nobody outranks the owner). */
function requireOutranks(ctx: RequestContext, guild: GuildState, userId: string): void {
  if (guild.guild.owner_id === userId) throw missingPermissions();
  if (guild.guild.owner_id === ctx.world.bot.id || !guild.members.has(userId)) return;
  if (highestRolePosition(guild, userId) >= highestRolePosition(guild, ctx.world.bot.id)) throw missingPermissions();
}

type Files = Array<{ name: string; filename: string; contentType: string; data: Buffer }>;

export function guildWriteRoutes(router: Router): void {
  router.patch('/guilds/{guild_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    const snowflakeOrNull = field.snowflake({ nullable: true });
    const body = parseBody<Record<string, unknown>>(ctx.body, {
      name: field.string({ min: 2, max: 100 }),
      description: field.string({ max: 300, nullable: true }),
      verification_level: field.int({ choices: [0, 1, 2, 3, 4] }),
      default_message_notifications: field.int({ choices: [0, 1] }),
      explicit_content_filter: field.int({ choices: [0, 1, 2] }),
      afk_channel_id: snowflakeOrNull,
      afk_timeout: field.int({ choices: [60, 300, 900, 1800, 3600] }),
      system_channel_id: snowflakeOrNull,
      system_channel_flags: field.int(),
      rules_channel_id: snowflakeOrNull,
      public_updates_channel_id: snowflakeOrNull,
      safety_alerts_channel_id: snowflakeOrNull,
      preferred_locale: field.string(),
      premium_progress_bar_enabled: field.bool(),
      icon: field.any(),
      banner: field.any(),
      splash: field.any(),
    });
    const g = guild.guild as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (key === 'icon' || key === 'banner' || key === 'splash') {
        const folder = key === 'icon' ? 'icons' : key === 'banner' ? 'banners' : 'splashes';
        g[key] = storeImage(ctx.world, key, (h) => `${folder}/${guild.guild.id}/${h}`, value);
      } else if (key in g) {
        if (key.endsWith('_channel_id') && value !== null && !guild.channels.has(String(value)))
          throw invalidFormBody([{ path: [key], code: 'CHANNEL_INVALID', message: 'Unknown channel' }]);
        g[key as keyof GuildFields] = value;
      }
    }
    return { body: presentGuild(guild, false) };
  });

  // ---- bans ----

  router.put('/guilds/{guild_id}/bans/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    parseBody(ctx.body, { delete_message_days: field.int({ min: 0, max: 7 }), delete_message_seconds: field.int({ min: 0, max: 604800 }) });
    const user = ctx.world.users.get(ctx.params.user_id) ?? guild.bans.get(ctx.params.user_id)?.user;
    if (!user) throw unknown('user');
    if (user.id === ctx.world.bot.id) throw missingPermissions();
    requireOutranks(ctx, guild, user.id);
    guild.members.delete(user.id);
    guild.bans.set(user.id, { user, reason: ctx.reason ?? null });
    return {};
  });

  router.delete('/guilds/{guild_id}/bans/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    if (!guild.bans.delete(ctx.params.user_id)) throw unknown('ban');
    return {};
  });

  // ---- members ----

  router.patch('/guilds/{guild_id}/members/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    const member = guild.members.get(ctx.params.user_id);
    if (!member) throw unknown('member');
    const body = parseBody<{ nick?: string | null; roles?: string[] | null; mute?: boolean; deaf?: boolean; communication_disabled_until?: string | null }>(ctx.body, {
      nick: field.string({ max: 32, nullable: true }),
      roles: field.array(field.snowflake(), { nullable: true }),
      mute: field.bool(),
      deaf: field.bool(),
      communication_disabled_until: field.string({ nullable: true }),
    });
    if (body.nick !== undefined) {
      if (member.user.id !== ctx.world.bot.id) {
        requireGuildPermission(ctx, guild, P.ManageNicknames);
        requireOutranks(ctx, guild, member.user.id);
      }
      member.nick = body.nick;
    }
    if (body.roles !== undefined) {
      requireGuildPermission(ctx, guild, P.ManageRoles);
      const wanted = new Set(body.roles ?? []);
      const current = new Set(member.roles);
      for (const id of new Set([...wanted, ...current])) {
        if (wanted.has(id) === current.has(id)) continue;
        const role = guild.roles.get(id);
        if (!role) throw unknown('role');
        if (role.managed) throw new ApiError(400, 50028, 'Invalid Role');
        requireRoleBelowBot(ctx, guild, role);
      }
      member.roles = [...wanted];
    }
    if (body.communication_disabled_until !== undefined) {
      requireGuildPermission(ctx, guild, P.ModerateMembers);
      requireOutranks(ctx, guild, member.user.id);
      member.communication_disabled_until = body.communication_disabled_until;
    }
    if (body.mute !== undefined) member.mute = body.mute;
    if (body.deaf !== undefined) member.deaf = body.deaf;
    return { body: { ...member, user: presentUser(member.user) } };
  });

  const memberRole = (add: boolean) => (ctx: RequestContext) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const member = guild.members.get(ctx.params.user_id);
    if (!member) throw unknown('member');
    const role = guild.roles.get(ctx.params.role_id);
    if (!role) throw unknown('role');
    if (role.managed) throw new ApiError(400, 50028, 'Invalid Role');
    requireRoleBelowBot(ctx, guild, role);
    member.roles = add ? [...new Set([...member.roles, role.id])] : member.roles.filter((id) => id !== role.id);
    return {};
  };
  router.put('/guilds/{guild_id}/members/{user_id}/roles/{role_id}', memberRole(true));
  router.delete('/guilds/{guild_id}/members/{user_id}/roles/{role_id}', memberRole(false));

  // ---- emojis ----

  const emojiName = field.string({ min: 2, max: 32 });
  router.post('/guilds/{guild_id}/emojis', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; image: string; roles?: string[] }>(ctx.body, {
      name: field.string({ min: 2, max: 32, required: true }),
      image: field.string({ required: true }),
      roles: field.array(field.snowflake(), { nullable: true }),
    });
    if (!/^\w+$/.test(body.name)) throw invalidFormBody([{ path: ['name'], code: 'STRING_TYPE_REGEX', message: 'String value did not match validation regex.' }]);
    if (guild.emojis.size >= 100) throw new ApiError(400, 30008, 'Maximum number of emojis reached (100)');
    const id = ctx.world.liveIds.next();
    const hash = storeImage(ctx.world, 'image', () => `emojis/${id}`, body.image)!;
    const emoji: APIEmoji = { id, name: body.name, roles: body.roles ?? [], user: presentUser(ctx.world.bot) as never, require_colons: true, managed: false, animated: hash.startsWith('a_'), available: true };
    guild.emojis.set(id, emoji);
    return { status: 201, body: emoji };
  });
  router.patch('/guilds/{guild_id}/emojis/{emoji_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const emoji = guild.emojis.get(ctx.params.emoji_id);
    if (!emoji) throw unknown('emoji');
    const body = parseBody<{ name?: string; roles?: string[] | null }>(ctx.body, { name: emojiName, roles: field.array(field.snowflake(), { nullable: true }) });
    if (body.name !== undefined) emoji.name = body.name;
    if (body.roles !== undefined) emoji.roles = body.roles ?? [];
    return { body: emoji };
  });
  router.delete('/guilds/{guild_id}/emojis/{emoji_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.emojis.delete(ctx.params.emoji_id)) throw unknown('emoji');
    return {};
  });

  // ---- stickers (multipart: name, description, tags, file) ----

  router.post('/guilds/{guild_id}/stickers', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; description?: string; tags: string; __files?: Files }>(ctx.body, {
      name: field.string({ min: 2, max: 30, required: true }),
      description: field.string({ max: 100 }),
      tags: field.string({ min: 1, max: 200, required: true }),
    });
    const file = body.__files?.[0];
    if (!file) throw invalidFormBody([{ path: ['file'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    if (file.data.length > 512 * 1024) throw new ApiError(400, 50045, 'File uploaded exceeds the maximum size');
    const formats: Record<string, number> = { 'image/png': 1, 'image/apng': 2, 'application/json': 3, 'image/gif': 4 };
    const id = ctx.world.liveIds.next();
    ctx.world.uploadedFiles.set(`stickers/${id}`, { bytes: file.data, contentType: file.contentType });
    const sticker: APISticker = { id, name: body.name, description: body.description ?? '', tags: body.tags, type: 2, format_type: formats[file.contentType] ?? 1, available: true, guild_id: guild.guild.id, user: presentUser(ctx.world.bot) as never };
    guild.stickers.set(id, sticker);
    return { status: 201, body: sticker };
  });
  router.patch('/guilds/{guild_id}/stickers/{sticker_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const sticker = guild.stickers.get(ctx.params.sticker_id);
    if (!sticker) throw unknown('sticker');
    const body = parseBody<{ name?: string; description?: string | null; tags?: string }>(ctx.body, {
      name: field.string({ min: 2, max: 30 }),
      description: field.string({ max: 100, nullable: true }),
      tags: field.string({ max: 200 }),
    });
    if (body.name !== undefined) sticker.name = body.name;
    if (body.description !== undefined) sticker.description = body.description;
    if (body.tags !== undefined) sticker.tags = body.tags;
    return { body: sticker };
  });
  router.delete('/guilds/{guild_id}/stickers/{sticker_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.stickers.delete(ctx.params.sticker_id)) throw unknown('sticker');
    return {};
  });

  // ---- scheduled events ----

  const eventShape = {
    name: field.string({ min: 1, max: 100 }),
    description: field.string({ max: 1000, nullable: true }),
    channel_id: field.snowflake({ nullable: true }),
    entity_metadata: field.object({ location: field.string({ min: 1, max: 100 }) }, { nullable: true }),
    privacy_level: field.int({ choices: [2] }),
    scheduled_start_time: field.string(),
    scheduled_end_time: field.string({ nullable: true }),
    entity_type: field.int({ choices: [1, 2, 3] }),
    status: field.int({ choices: [1, 2, 3, 4] }),
    image: field.any(),
  };
  router.post('/guilds/{guild_id}/scheduled-events', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageEvents);
    const body = parseBody<Record<string, unknown>>(ctx.body, {
      ...eventShape,
      name: field.string({ min: 1, max: 100, required: true }),
      privacy_level: field.int({ choices: [2], required: true }),
      scheduled_start_time: field.string({ required: true }),
      entity_type: field.int({ choices: [1, 2, 3], required: true }),
    });
    if (body.entity_type === 3 && (!body.entity_metadata || !body.scheduled_end_time))
      throw invalidFormBody([{ path: ['entity_metadata'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    if (body.entity_type !== 3 && !body.channel_id) throw invalidFormBody([{ path: ['channel_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    const id = ctx.world.liveIds.next();
    const event = {
      id,
      guild_id: guild.guild.id,
      channel_id: body.entity_type === 3 ? null : body.channel_id,
      creator_id: ctx.world.bot.id,
      creator: presentUser(ctx.world.bot),
      name: body.name,
      description: body.description ?? null,
      image: body.image ? storeImage(ctx.world, 'image', (h) => `guild-events/${id}/${h}`, body.image) : null,
      scheduled_start_time: body.scheduled_start_time,
      scheduled_end_time: body.scheduled_end_time ?? null,
      privacy_level: 2,
      status: 1,
      entity_type: body.entity_type,
      entity_id: null,
      entity_metadata: body.entity_type === 3 ? body.entity_metadata : null,
      recurrence_rule: null,
      guild_scheduled_event_exceptions: [],
      user_count: 0,
    };
    guild.scheduledEvents.set(id, event as never);
    return { body: event };
  });
  router.patch('/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageEvents);
    const event = guild.scheduledEvents.get(ctx.params.guild_scheduled_event_id) as unknown as Record<string, unknown> | undefined;
    if (!event) throw unknown('scheduledEvent');
    const body = parseBody<Record<string, unknown>>(ctx.body, eventShape);
    for (const [k, v] of Object.entries(body)) event[k] = k === 'image' ? storeImage(ctx.world, 'image', (h) => `guild-events/${event.id}/${h}`, v) : v;
    return { body: event };
  });
  router.delete('/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageEvents);
    if (!guild.scheduledEvents.delete(ctx.params.guild_scheduled_event_id)) throw unknown('scheduledEvent');
    return {};
  });

  // ---- welcome screen, onboarding, soundboard ----

  router.patch('/guilds/{guild_id}/welcome-screen', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    const body = parseBody<{ enabled?: boolean | null; description?: string | null; welcome_channels?: WelcomeScreen['welcome_channels'] | null }>(ctx.body, {
      enabled: field.any(),
      description: field.string({ max: 140, nullable: true }),
      welcome_channels: field.array(
        field.object({ channel_id: field.snowflake({ required: true }), description: field.string({ min: 1, max: 42, required: true }), emoji_id: field.snowflake({ nullable: true }), emoji_name: field.string({ nullable: true }) }),
        { max: 5, nullable: true },
      ),
    });
    if (body.description !== undefined) guild.welcomeScreen.description = body.description;
    if (body.welcome_channels !== undefined)
      guild.welcomeScreen.welcome_channels = (body.welcome_channels ?? []).map((c) => ({ channel_id: c.channel_id, description: c.description, emoji_id: c.emoji_id ?? null, emoji_name: c.emoji_name ?? null }));
    if (body.enabled !== undefined && body.enabled !== null) {
      const features = guild.guild.features.filter((f) => f !== 'WELCOME_SCREEN_ENABLED');
      guild.guild.features = body.enabled ? [...features, 'WELCOME_SCREEN_ENABLED'] : features;
    }
    return { body: guild.welcomeScreen };
  });

  router.put('/guilds/{guild_id}/onboarding', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild, P.ManageRoles);
    const body = parseBody<Partial<Onboarding>>(ctx.body, {
      prompts: field.array(field.object({ title: field.string({ min: 1, max: 100, required: true }), options: field.array(field.any(), { max: 50, required: true }) }), { max: 15 }),
      default_channel_ids: field.array(field.snowflake()),
      enabled: field.bool(),
      mode: field.int({ choices: [0, 1] }),
    });
    const o = guild.onboarding;
    if (body.prompts !== undefined)
      o.prompts = body.prompts.map((p) => ({
        id: p.id ?? ctx.world.liveIds.next(),
        title: p.title,
        options: (p.options ?? []).map((opt) => ({
          id: opt.id ?? ctx.world.liveIds.next(),
          title: opt.title,
          description: opt.description ?? '',
          emoji: { id: opt.emoji?.id ?? null, name: opt.emoji?.name ?? null, animated: opt.emoji?.animated ?? false },
          role_ids: opt.role_ids ?? [],
          channel_ids: opt.channel_ids ?? [],
        })),
        single_select: p.single_select ?? false,
        required: p.required ?? false,
        in_onboarding: p.in_onboarding ?? true,
        type: p.type ?? 0,
      }));
    if (body.default_channel_ids !== undefined) o.default_channel_ids = body.default_channel_ids;
    if (body.enabled !== undefined) o.enabled = body.enabled;
    if (body.mode !== undefined) o.mode = body.mode;
    return { body: o };
  });

  const soundShape = { name: field.string({ min: 2, max: 32 }), volume: field.int({ min: 0, max: 1, nullable: true }), emoji_id: field.snowflake({ nullable: true }), emoji_name: field.string({ nullable: true }) };
  router.post('/guilds/{guild_id}/soundboard-sounds', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; sound: string; volume?: number | null; emoji_id?: string | null; emoji_name?: string | null }>(ctx.body, {
      ...soundShape,
      name: field.string({ min: 2, max: 32, required: true }),
      sound: field.string({ required: true }),
      volume: field.any(),
    });
    const m = /^data:(audio\/(?:mpeg|ogg|mp3));base64,([A-Za-z0-9+/=]+)$/.exec(body.sound);
    if (!m) throw invalidFormBody([{ path: ['sound'], code: 'SOUND_INVALID', message: 'Invalid sound data' }]);
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length > 512 * 1024) throw new ApiError(400, 50045, 'File uploaded exceeds the maximum size');
    const id = ctx.world.liveIds.next();
    ctx.world.uploadedFiles.set(`soundboard-sounds/${id}`, { bytes, contentType: m[1] });
    const sound: SoundboardSound = { name: body.name, sound_id: id, volume: typeof body.volume === 'number' ? body.volume : 1, emoji_id: body.emoji_id ?? null, emoji_name: body.emoji_name ?? null, guild_id: guild.guild.id, available: true, user: ctx.world.bot };
    guild.soundboardSounds.set(id, sound);
    return { status: 201, body: presentSound(sound) };
  });
  router.patch('/guilds/{guild_id}/soundboard-sounds/{sound_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const sound = guild.soundboardSounds.get(ctx.params.sound_id);
    if (!sound) throw new ApiError(404, 10097, 'Unknown Soundboard Sound');
    const body = parseBody<Partial<SoundboardSound>>(ctx.body, { ...soundShape, volume: field.any() });
    for (const key of ['name', 'emoji_id', 'emoji_name'] as const) if (body[key] !== undefined) (sound as unknown as Record<string, unknown>)[key] = body[key];
    if (typeof body.volume === 'number') sound.volume = body.volume;
    return { body: presentSound(sound) };
  });
  router.delete('/guilds/{guild_id}/soundboard-sounds/{sound_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.soundboardSounds.delete(ctx.params.sound_id)) throw new ApiError(404, 10097, 'Unknown Soundboard Sound');
    return {};
  });

  // ---- auto-moderation ----

  const ruleShape = {
    name: field.string({ min: 1, max: 100 }),
    event_type: field.int({ choices: [1, 2] }),
    trigger_type: field.int({ choices: [1, 3, 4, 5, 6] }),
    trigger_metadata: field.object({}, { nullable: true }),
    actions: field.array(field.object({ type: field.int({ choices: [1, 2, 3, 4], required: true }), metadata: field.object({}, { nullable: true }) }), { max: 5 }),
    enabled: field.bool(),
    exempt_roles: field.array(field.snowflake(), { max: 20 }),
    exempt_channels: field.array(field.snowflake(), { max: 50 }),
  };
  /** Discord fills what a rule leaves out: every action has metadata, trigger metadata has its lists. */
  const normalizeRule = (rule: Record<string, any>) => {
    rule.actions = (rule.actions ?? []).map((a: { type: number; metadata?: object | null }) => ({ type: a.type, metadata: a.metadata ?? {} }));
    const m = (rule.trigger_metadata ?? {}) as Record<string, unknown>;
    const lists = (...keys: string[]) => keys.forEach((k) => (m[k] ??= []));
    if (rule.trigger_type === 1 || rule.trigger_type === 6) lists('keyword_filter', 'regex_patterns', 'allow_list');
    if (rule.trigger_type === 4) lists('presets', 'allow_list');
    if (rule.trigger_type === 5) {
      m.mention_total_limit ??= 20;
      m.mention_raid_protection_enabled ??= false;
    }
    rule.trigger_metadata = m;
    return rule;
  };
  router.post('/guilds/{guild_id}/auto-moderation/rules', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    const body = parseBody<Record<string, unknown>>(ctx.body, {
      ...ruleShape,
      name: field.string({ min: 1, max: 100, required: true }),
      event_type: field.int({ choices: [1, 2], required: true }),
      trigger_type: field.int({ choices: [1, 3, 4, 5, 6], required: true }),
      actions: field.array(field.object({ type: field.int({ choices: [1, 2, 3, 4], required: true }), metadata: field.object({}, { nullable: true }) }), { max: 5, required: true }),
    });
    const id = ctx.world.liveIds.next();
    const rule = normalizeRule({ id, guild_id: guild.guild.id, creator_id: ctx.world.bot.id, enabled: false, exempt_roles: [], exempt_channels: [], trigger_metadata: {}, ...body });
    guild.autoModRules.set(id, rule as never);
    return { body: rule };
  });
  router.patch('/guilds/{guild_id}/auto-moderation/rules/{rule_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    const rule = guild.autoModRules.get(ctx.params.rule_id);
    if (!rule) throw unknown('autoModRule');
    normalizeRule(Object.assign(rule, parseBody(ctx.body, ruleShape)));
    return { body: rule };
  });
  router.delete('/guilds/{guild_id}/auto-moderation/rules/{rule_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuild);
    if (!guild.autoModRules.delete(ctx.params.rule_id)) throw unknown('autoModRule');
    return {};
  });
}
