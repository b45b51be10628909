import type { NodeData } from '../types';
import { isPrivateThread } from '../../discord/channelKinds';

/**
 * API objects -> canonical node data. Everything Discord sends is kept (a
 * restore needs it, and the seed's "ignored" channel properties are exactly
 * what people miss), except what changes without anyone editing the server:
 * counters, presence, last-message pointers, tokens. That is what makes an
 * unchanged server produce an empty snapshot.
 */

type Json = Record<string, unknown>;

function omit(object: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) if (!keys.includes(key) && value !== undefined) out[key] = value;
  return out;
}

function sortedIds(value: unknown): unknown {
  return Array.isArray(value) ? [...value].map(String).sort() : value;
}

/** A user reference as a node keeps it: who, not their avatar or presence. */
export function userRef(user: unknown): Json | undefined {
  if (!user || typeof user !== 'object') return undefined;
  const u = user as Json;
  const out: Json = { id: u.id, username: u.username };
  if (u.global_name !== undefined && u.global_name !== null) out.global_name = u.global_name;
  if (u.bot) out.bot = true;
  return out;
}

/** Guild settings: every field but counts and the lists that are nodes of their own. */
export function normalizeGuild(guild: Json): NodeData {
  const out = omit(guild, [
    'approximate_member_count',
    'approximate_presence_count',
    'member_count',
    'premium_subscription_count',
    'presences',
    'roles',
    'emojis',
    'stickers',
    'channels',
    'threads',
    'members',
    'voice_states',
    'stage_instances',
    'guild_scheduled_events',
    'soundboard_sounds',
    'joined_at',
    'large',
    'lazy',
    'unavailable',
    'embedded_activities',
    'application_command_counts',
  ]);
  if (Array.isArray(out.features)) out.features = [...(out.features as string[])].sort();
  return out;
}

/**
 * A role without its position: Discord renumbers every role above a role
 * that is created or deleted, so positions would make one new role look like
 * 250 changed ones. The order lives in one 'role_order' node instead.
 */
export function normalizeRole(role: Json): NodeData {
  return omit(role, ['position']);
}

export const ROLE_ORDER_ID = 'roles';

/** Role ids highest first, as Discord ranks them: greater position first, ties by older id. */
export function roleOrder(roles: Json[]): NodeData {
  const ranked = [...roles].sort((a, b) => {
    const pa = Number(a.position ?? 0);
    const pb = Number(b.position ?? 0);
    if (pa !== pb) return pb - pa;
    const ia = String(a.id);
    const ib = String(b.id);
    return ia.length !== ib.length ? ia.length - ib.length : ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  return { ids: ranked.map((role) => String(role.id)) };
}

/** Channels of every type with every property; overwrites are nodes of their own. */
export function normalizeChannel(channel: Json): NodeData {
  return omit(channel, [
    'guild_id',
    'permission_overwrites',
    'last_message_id',
    'last_pin_timestamp',
    'message_count',
    'member_count',
    'total_message_sent',
    'status', // a voice channel's status line, set by whoever is talking in it
    'voice_background_display',
    'hd_streaming_until',
    'hd_streaming_buyer_id',
  ]);
}

/** Node id of an overwrite: channel and target, so one change stores one small row. */
export function overwriteId(channelId: string, targetId: string): string {
  return `${channelId}/${targetId}`;
}

export function normalizeOverwrite(channelId: string, overwrite: Json): NodeData {
  return { channel_id: channelId, id: overwrite.id, type: overwrite.type, allow: String(overwrite.allow ?? '0'), deny: String(overwrite.deny ?? '0') };
}

/** Role assignments (and nickname) of a member who has at least one role; others have nothing to restore. */
/**
 * Node id of a thread: parent, visibility, thread. Threads never change parent
 * or visibility, and the prefix lets a capture say "the private threads of
 * #x were not read" so they are kept rather than deleted.
 */
export function threadId(thread: Json): string {
  return `${String(thread.parent_id)}/${isPrivateThread(Number(thread.type)) ? 'private' : 'public'}/${String(thread.id)}`;
}

/** A thread (forum and media posts included) without its counters and last-message pointers. */
export function normalizeThread(thread: Json): NodeData {
  const out = omit(thread, ['guild_id', 'last_message_id', 'last_pin_timestamp', 'message_count', 'member_count', 'total_message_sent', 'member', 'permission_overwrites']);
  if (Array.isArray(thread.applied_tags)) out.applied_tags = sortedIds(thread.applied_tags);
  return out;
}

export function normalizeMember(member: Json): NodeData | undefined {
  const roles = sortedIds(member.roles) as string[] | undefined;
  if (!roles || roles.length === 0) return undefined;
  const out: Json = { user: userRef(member.user), roles };
  if (member.nick !== undefined && member.nick !== null) out.nick = member.nick;
  return out;
}

export function normalizeBan(ban: Json): NodeData {
  return { user: userRef(ban.user), reason: ban.reason ?? null };
}

export function normalizeEmoji(emoji: Json): NodeData {
  const out = omit(emoji, ['user']);
  out.roles = sortedIds(emoji.roles ?? []);
  const creator = userRef(emoji.user);
  if (creator) out.user = creator;
  return out;
}

export function normalizeSticker(sticker: Json): NodeData {
  const out = omit(sticker, ['user', 'guild_id']);
  const creator = userRef(sticker.user);
  if (creator) out.user = creator;
  return out;
}

export function normalizeScheduledEvent(event: Json): NodeData {
  return omit(event, ['guild_id', 'user_count', 'creator']);
}

export function normalizeAutomodRule(rule: Json): NodeData {
  const out = omit(rule, ['guild_id']);
  out.exempt_roles = sortedIds(rule.exempt_roles ?? []);
  out.exempt_channels = sortedIds(rule.exempt_channels ?? []);
  return out;
}

/** Webhooks without their token or URL: a vault must never hold credentials. */
export function normalizeWebhook(webhook: Json): NodeData {
  const out = omit(webhook, ['token', 'url', 'guild_id', 'user', 'source_guild', 'source_channel']);
  const creator = userRef(webhook.user);
  if (creator) out.user = creator;
  const sourceGuild = webhook.source_guild as Json | undefined;
  if (sourceGuild) out.source_guild = { id: sourceGuild.id, name: sourceGuild.name };
  const sourceChannel = webhook.source_channel as Json | undefined;
  if (sourceChannel) out.source_channel = { id: sourceChannel.id, name: sourceChannel.name };
  return out;
}

export function normalizeWelcomeScreen(screen: Json): NodeData {
  return omit(screen, []);
}

export function normalizeOnboarding(onboarding: Json): NodeData {
  return omit(onboarding, ['guild_id']);
}

export function normalizeSoundboardSound(sound: Json): NodeData {
  const out = omit(sound, ['guild_id', 'user']);
  const creator = userRef(sound.user);
  if (creator) out.user = creator;
  return out;
}
