import { canonicalJson } from '../../snapshots/canonical';
import { nodesOf, type NodeData } from '../../snapshots/types';
import { can, PermissionFlagsBits } from '../botPower';
import { mappedId } from '../idMap';
import type { GuildSettingsWrite } from '../types';
import { hasFeature, type Json, type PlanContext } from './context';
import { imageWish } from './images';
import { isAnimatedHash } from '../../discord/cdnFormats';

/** Server settings a bot may write with MANAGE_GUILD, as they are. */
const SIMPLE_FIELDS = ['name', 'verification_level', 'default_message_notifications', 'explicit_content_filter', 'afk_timeout', 'system_channel_flags', 'preferred_locale', 'premium_progress_bar_enabled'] as const;
/** Settings that name a channel: written through the id map, after the channels exist. */
const CHANNEL_FIELDS = ['afk_channel_id', 'system_channel_id', 'rules_channel_id', 'public_updates_channel_id', 'safety_alerts_channel_id'] as const;
/** Settings only Community servers have. */
const COMMUNITY_FIELDS = new Set(['rules_channel_id', 'public_updates_channel_id', 'safety_alerts_channel_id', 'description']);
/** Image settings and the feature (boost level) Discord requires for each. */
const IMAGE_FIELDS: Record<string, string | undefined> = { icon: undefined, banner: 'BANNER', splash: 'INVITE_SPLASH', discovery_splash: 'DISCOVERABLE' };
/** What Discord keeps out of a bot's hands, and why. */
const NOT_SETTABLE: Record<string, string> = {
  features: 'server features come from boosts, the Community setup and Discord\'s review',
  vanity_url_code: 'a vanity URL needs boost level 3 and is not set through the bot API',
  mfa_level: 'only the owner, with two-factor authentication on, can change the 2FA requirement for moderators',
  nsfw_level: 'Discord sets the age-restriction level itself',
};

function noManageGuild(ctx: PlanContext): string | undefined {
  return can(ctx.power, PermissionFlagsBits.ManageGuild) ? undefined : 'the bot lacks the MANAGE_GUILD permission';
}

/** The target id a snapshot channel will have, 'later' when this plan creates it, or undefined when it will not exist. */
function channelTarget(ctx: PlanContext, sourceId: unknown): string | null | 'later' | undefined {
  if (sourceId === null || sourceId === undefined) return null;
  const id = String(sourceId);
  return ctx.plan.matches.channel[id] ?? (ctx.willExist.channel.has(id) ? 'later' : undefined);
}

/**
 * Server settings: name, description, icon, banner, verification level,
 * notifications, content filter, AFK channel and timeout, system, rules and
 * updates channels (mapped through the id map). One PATCH for what the bot may
 * set; every setting it may not is its own blocked action with the reason.
 */
export function planGuildSettings(ctx: PlanContext): void {
  const { source, plan } = ctx;
  const want = nodesOf(source, 'guild').get(source.guildId);
  if (!want) return;
  const have = nodesOf(ctx.target, 'guild').get(ctx.target.guildId) ?? {};
  const community = hasFeature(ctx, 'COMMUNITY');
  const changes: Json = {};
  const channels: GuildSettingsWrite['channels'] = {};
  const images: GuildSettingsWrite['images'] = {};
  const blocked = (field: string, reason: string) => plan.actions.push({ kind: 'guild.update', label: `server ${field}`, detail: field, data: { changes: {}, channels: {}, images: {} }, blocked: reason });
  for (const field of SIMPLE_FIELDS) {
    if (want[field] !== undefined && canonicalJson(want[field]) !== canonicalJson(have[field] ?? null)) changes[field] = want[field];
  }
  if (want.description !== undefined && (want.description ?? null) !== (have.description ?? null)) {
    if (community || want.description === null) changes.description = want.description;
    else blocked('description', 'only Community servers have a description');
  }
  for (const field of CHANNEL_FIELDS) {
    const mapped = channelTarget(ctx, want[field]);
    if (mapped === (have[field] ?? null)) continue;
    if (mapped === undefined) blocked(field, `its channel is not restored`);
    else if (COMMUNITY_FIELDS.has(field) && !community && mapped !== null) blocked(field, 'only Community servers have rules, updates and safety channels');
    else channels[field] = want[field] ? String(want[field]) : null;
  }
  for (const [field, feature] of Object.entries(IMAGE_FIELDS)) {
    const wish = imageWish(ctx, 'guild', source.guildId, field, want[field], have[field]);
    if (wish.status === 'same') continue;
    // An animated icon or banner needs a feature of its own.
    const animated = isAnimatedHash(String(want[field]));
    const required = [feature, animated && field === 'icon' ? 'ANIMATED_ICON' : undefined, animated && field === 'banner' ? 'ANIMATED_BANNER' : undefined];
    const lacking = required.find((f): f is string => !!f && !hasFeature(ctx, f));
    if (wish.status === 'upload' && lacking) blocked(field, `the server lacks the ${lacking} feature (it comes with boosts)`);
    else if (wish.status === 'missing') blocked(field, 'the image is not in the vault (it was not downloaded when the snapshot was taken)');
    else images[field] = wish.status === 'upload' ? wish.upload : null;
  }
  for (const [field, reason] of Object.entries(NOT_SETTABLE)) {
    if (want[field] !== undefined && canonicalJson(want[field]) !== canonicalJson(have[field] ?? null)) blocked(field, reason);
  }
  const fields = [...Object.keys(changes), ...Object.keys(channels), ...Object.keys(images)];
  if (fields.length === 0) return;
  plan.actions.push({ kind: 'guild.update', label: 'server settings', detail: fields.join(', '), data: { changes, channels, images }, blocked: noManageGuild(ctx) });
}

/** A custom emoji of the snapshot as the target knows it (same id, or re-created), or null. */
function emojiTarget(ctx: PlanContext, emojiId: unknown): string | null {
  if (!emojiId) return null;
  const id = String(emojiId);
  if (nodesOf(ctx.target, 'emoji').has(id)) return id;
  return mappedId(ctx.vault, 'emoji', id, ctx.plan.targetGuildId) ?? null;
}

/** The welcome screen, its channels mapped: Community servers only. */
export function planWelcomeScreen(ctx: PlanContext): void {
  const want = nodesOf(ctx.source, 'welcome_screen').get('welcome_screen');
  if (!want) return;
  const have = nodesOf(ctx.target, 'welcome_screen').get('welcome_screen');
  const channels = ((want.welcome_channels as Json[] | undefined) ?? []).filter((c) => channelTarget(ctx, c.channel_id) !== undefined);
  const asTargetHasIt = (screen: NodeData | undefined, channel: (id: unknown) => unknown, emoji: (id: unknown) => unknown) =>
    canonicalJson({
      description: screen?.description ?? null,
      channels: ((screen?.welcome_channels as Json[] | undefined) ?? []).map((c) => ({ ...c, channel_id: channel(c.channel_id), emoji_id: c.emoji_id ? emoji(c.emoji_id) : null })),
    });
  const same = (id: unknown) => id;
  if (have && asTargetHasIt({ ...want, welcome_channels: channels }, (id) => channelTarget(ctx, id), (id) => emojiTarget(ctx, id)) === asTargetHasIt(have, same, same)) return;
  const blocked = hasFeature(ctx, 'COMMUNITY') ? noManageGuild(ctx) : 'the welcome screen exists only in Community servers';
  // Channel and emoji ids stay the snapshot's: they are mapped when the action runs, after both exist.
  ctx.plan.actions.push({ kind: 'welcome_screen.update', label: 'welcome screen', detail: 'description and channels', data: { description: typeof want.description === 'string' ? want.description : null, welcome_channels: channels, enabled: hasFeatureIn(ctx, 'WELCOME_SCREEN_ENABLED') }, blocked });
}

function hasFeatureIn(ctx: PlanContext, feature: string): boolean {
  const guild = nodesOf(ctx.source, 'guild').get(ctx.source.guildId);
  return Array.isArray(guild?.features) && (guild.features as unknown[]).includes(feature);
}

/**
 * Onboarding (prompts, default channels, mode), roles and channels mapped.
 * Prompt and option ids are the server's own: kept in place, left to Discord
 * in another server. Community servers only, with MANAGE_GUILD and MANAGE_ROLES.
 */
export function planOnboarding(ctx: PlanContext): void {
  const want = nodesOf(ctx.source, 'onboarding').get('onboarding');
  if (!want) return;
  const have = nodesOf(ctx.target, 'onboarding').get('onboarding');
  const inPlace = ctx.plan.inPlace;
  const roleNow = (id: unknown) => (String(id) === ctx.source.guildId ? ctx.target.guildId : ctx.plan.matches.role[String(id)]);
  const shape = (o: NodeData | undefined, role: (id: unknown) => unknown, channel: (id: unknown) => unknown, keepIds: boolean) =>
    canonicalJson({
      enabled: o?.enabled ?? false,
      mode: o?.mode ?? 0,
      default_channel_ids: ((o?.default_channel_ids as unknown[] | undefined) ?? []).map(channel).sort(),
      prompts: ((o?.prompts as Json[] | undefined) ?? []).map(({ id, options, ...prompt }) => ({
        ...prompt,
        ...(keepIds ? { id } : {}),
        options: ((options as Json[] | undefined) ?? []).map(({ id: optionId, ...option }) => ({
          ...option,
          ...(keepIds ? { id: optionId } : {}),
          role_ids: ((option.role_ids as unknown[] | undefined) ?? []).map(role).sort(),
          channel_ids: ((option.channel_ids as unknown[] | undefined) ?? []).map(channel).sort(),
        })),
      })),
    });
  if (have && shape(want, roleNow, (id) => ctx.plan.matches.channel[String(id)], inPlace) === shape(have, (id) => id, (id) => id, inPlace)) return;
  const blocked = !hasFeature(ctx, 'COMMUNITY')
    ? 'onboarding exists only in Community servers'
    : (noManageGuild(ctx) ?? (can(ctx.power, PermissionFlagsBits.ManageRoles) ? undefined : 'the bot lacks the MANAGE_ROLES permission'));
  ctx.plan.actions.push({ kind: 'onboarding.update', label: 'onboarding', detail: 'prompts, default channels, mode', data: { onboarding: want, keepIds: inPlace }, blocked });
}
