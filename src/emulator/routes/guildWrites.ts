/**
 * Guild-level writes: the guild's settings, welcome screen, onboarding, scheduled
 * events and auto-moderation rules.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { invalidFormBody, unknown } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { Router } from '../http/router';
import type { GuildFields, Onboarding, WelcomeScreen } from '../world/model';
import { presentGuild, presentUser } from './present';
import { requireGuild, requireGuildPermission } from './access';
import { storeImage } from './images';

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
