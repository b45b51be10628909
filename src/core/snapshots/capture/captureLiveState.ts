import type { DiscordClient } from '../../discord/discordClient';
import { GuildVaultError } from '../../errors';
import { Job } from '../../job';
import { emptyState, nodesOf, type NodeData, type NodeType, type StructureState } from '../types';
import { PermissionFlagsBits } from '../permissions';
import { readBotAccess, type BotAccess } from '../botAccess';
import * as normalize from './normalize';
import { canHaveThreads } from '../../discord/channelKinds';
import { channelLabel } from '../../discord/channelLabel';
import { formatCount, partOf, plural } from '../../text';

type Json = Record<string, unknown>;

export interface CaptureOptions {
  /**
   * Read archived threads (one or two requests per text, announcement, forum
   * and media channel). Default true; when false only active threads are
   * read and archived ones keep their previous state.
   */
  archivedThreads?: boolean;
  /**
   * Member role assignments are skipped above this many members (listing
   * 1,000 per request); the skip is recorded as the reason. Default 50,000.
   */
  maxMembers?: number;
}

/** A capture of the live server: a state plus when it was read. */
export interface LiveState extends StructureState {
  capturedAt: string;
  /** The raw guild object (counts included), for identity and health. */
  guild: Json;
}

/** What each optional node type needs, named the way Discord's settings name it. */
export const TYPE_REQUIREMENTS: Partial<Record<NodeType, string>> = {
  ban: 'BAN_MEMBERS permission',
  webhook: 'MANAGE_WEBHOOKS permission',
  automod_rule: 'MANAGE_GUILD permission',
  welcome_screen: 'MANAGE_GUILD permission',
  onboarding: 'MANAGE_GUILD permission',
  member: 'Server Members intent',
};

/**
 * Reads a server's whole structure through the API, one reader per node type,
 * concurrently (the client keeps within Discord's rate limits). Guild,
 * roles and channels must be readable or the capture fails; any other type
 * that Discord refuses (missing permission or intent), or whose requests keep
 * failing (resets, 5xx), is recorded as unreadable with the reason, and its
 * nodes are not touched in the chain (they keep the previous snapshot's data).
 */
export async function captureLiveState(client: DiscordClient, guildId: string, options: CaptureOptions = {}, job = new Job()): Promise<LiveState> {
  // The readers share one signal, so the first failure that dooms the capture stops the rest.
  const capture = job.part();
  return readState(client.forJob(capture), guildId, options, capture);
}

async function readState(client: DiscordClient, guildId: string, options: CaptureOptions, job: Job): Promise<LiveState> {
  const signal = job.signal;
  const progress = (message: string) => job.progress({ phase: 'snapshot', message });
  progress('server settings');
  const guild = await client.get<Json>(`/guilds/${guildId}`, { query: { with_counts: true }, signal });
  const state: LiveState = { ...emptyState(guildId), capturedAt: new Date().toISOString(), guild };
  nodesOf(state, 'guild').set(guildId, normalize.normalizeGuild(guild));
  state.status.guild = 'ok';

  // Channels feed two readers: channels and overwrites, and threads (which need the parents).
  const channels = client.get<Json[]>(`/guilds/${guildId}/channels`, { signal });
  channels.catch(() => undefined); // observed by both readers below
  const access = await readBotAccess(client, guild, signal);
  const allowed = (flag: bigint) => !access || access.has(access.base, flag);
  const readers: [NodeType[], () => Promise<void>][] = [
    [['role', 'role_order'], async () => {
      const roles = (guild.roles as Json[] | undefined) ?? (await client.get<Json[]>(`/guilds/${guildId}/roles`, { signal }));
      putAll(state, 'role', roles, normalize.normalizeRole);
      nodesOf(state, 'role_order').set(normalize.ROLE_ORDER_ID, normalize.roleOrder(roles));
    }],
    [['channel', 'overwrite'], async () => readChannels(await channels, state)],
    [['thread'], async () => readThreads(client, guildId, await channels, state, options, access, job)],
    [['emoji'], async () => putAll(state, 'emoji', (guild.emojis as Json[] | undefined) ?? (await client.get<Json[]>(`/guilds/${guildId}/emojis`, { signal })), normalize.normalizeEmoji)],
    [['sticker'], async () => putAll(state, 'sticker', (guild.stickers as Json[] | undefined) ?? (await client.get<Json[]>(`/guilds/${guildId}/stickers`, { signal })), normalize.normalizeSticker)],
    [['ban'], () => (allowed(PermissionFlagsBits.BanMembers) ? readBans(client, guildId, state, progress, signal) : refuse('ban'))],
    [['member'], () => readMembers(client, guildId, state, options, progress, job.signal)],
    [['scheduled_event'], async () => putAll(state, 'scheduled_event', await client.get<Json[]>(`/guilds/${guildId}/scheduled-events`, { signal }), normalize.normalizeScheduledEvent)],
    [['automod_rule'], async () => allowed(PermissionFlagsBits.ManageGuild) ? putAll(state, 'automod_rule', await client.get<Json[]>(`/guilds/${guildId}/auto-moderation/rules`, { signal }), normalize.normalizeAutomodRule) : refuse('automod_rule')],
    [['webhook'], async () => allowed(PermissionFlagsBits.ManageWebhooks) ? putAll(state, 'webhook', await client.get<Json[]>(`/guilds/${guildId}/webhooks`, { signal }), normalize.normalizeWebhook) : refuse('webhook')],
    [['welcome_screen'], () => readSingleton(client, `/guilds/${guildId}/welcome-screen`, state, 'welcome_screen', normalize.normalizeWelcomeScreen, signal)],
    [['onboarding'], () => readSingleton(client, `/guilds/${guildId}/onboarding`, state, 'onboarding', normalize.normalizeOnboarding, signal)],
    [['soundboard_sound'], async () => {
      const answer = await client.get<{ items?: Json[] } | Json[]>(`/guilds/${guildId}/soundboard-sounds`, { signal });
      putAll(state, 'soundboard_sound', Array.isArray(answer) ? answer : (answer.items ?? []), normalize.normalizeSoundboardSound, 'sound_id');
    }],
  ];
  const essential = new Set<NodeType>(['role', 'channel']);
  // A part that fails (refused, or a request that kept failing) is a gap: its type keeps the
  // previous snapshot's nodes. Only what the snapshot cannot be without fails the capture.
  const reasonFor = (types: NodeType[], error: unknown) => (types.some((type) => essential.has(type)) ? undefined : unreadableReason(types[0], error) ?? failedPartReason(error));
  let fatal: { error: unknown } | undefined;
  const outcomes = await Promise.allSettled(
    readers.map(([types, read]) =>
      read().catch((error: unknown) => {
        if (!fatal && reasonFor(types, error) === undefined && !job.signal.aborted) {
          fatal = { error };
          job.stop();
        }
        throw error;
      }),
    ),
  );
  if (job.cancelled) throw job.failure(fatal?.error);
  if (fatal) throw fatal.error;
  outcomes.forEach((outcome, i) => {
    const types = readers[i][0];
    if (outcome.status === 'fulfilled') {
      for (const type of types) if (state.status[type] === undefined) state.status[type] = 'ok';
      return;
    }
    const reason = reasonFor(types, outcome.reason);
    if (reason === undefined) throw outcome.reason;
    for (const type of types) {
      nodesOf(state, type).clear();
      state.status[type] = { unreadable: reason };
    }
    job.log('warn', `snapshot: ${types.join(', ')} not captured: ${reason}`);
  });
  return state;
}

/** A type the bot's permissions rule out: recorded as unreadable without asking Discord. */
async function refuse(type: NodeType): Promise<never> {
  throw new GuildVaultError('MISSING_PERMISSION', `The bot lacks the ${TYPE_REQUIREMENTS[type]} (checked before asking).`, '');
}

function putAll(state: StructureState, type: NodeType, items: Json[], toNode: (item: Json) => NodeData | undefined, idKey = 'id'): void {
  const nodes = nodesOf(state, type);
  for (const item of items) {
    const data = toNode(item);
    if (data) nodes.set(String(item[idKey]), data);
  }
}

function readChannels(channels: Json[], state: StructureState): void {
  const overwrites = nodesOf(state, 'overwrite');
  putAll(state, 'channel', channels, normalize.normalizeChannel);
  for (const channel of channels) {
    for (const overwrite of (channel.permission_overwrites as Json[] | undefined) ?? []) {
      const channelId = String(channel.id);
      overwrites.set(normalize.overwriteId(channelId, String(overwrite.id)), normalize.normalizeOverwrite(channelId, overwrite));
    }
  }
}

/**
 * Active threads (one request), then the archived ones of every channel that
 * holds threads. A channel the bot may not read, or whose private threads need
 * MANAGE_THREADS, becomes a scope of a partial status: its threads are kept
 * from the snapshot before instead of being read as deleted.
 */
async function readThreads(client: DiscordClient, guildId: string, channels: Json[], state: StructureState, options: CaptureOptions, access: BotAccess | undefined, job: Job): Promise<void> {
  const signal = job.signal;
  const threads = nodesOf(state, 'thread');
  const put = (list: Json[]) => list.forEach((thread) => threads.set(normalize.threadId(thread), normalize.normalizeThread(thread)));
  const active = await client.get<{ threads?: Json[] }>(`/guilds/${guildId}/threads/active`, { signal });
  put(active.threads ?? []);
  const parents = channels.filter((channel) => canHaveThreads(Number(channel.type)));
  const scopes: string[] = [];
  const hidden: string[] = [];
  const noPrivate: string[] = [];
  const failed: string[] = [];
  if (options.archivedThreads === false) {
    for (const parent of parents) scopes.push(`${String(parent.id)}/`);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < parents.length) {
        const parent = parents[next++];
        const id = String(parent.id);
        const perms = access?.in(parent);
        const canList = !access || (access.has(perms!, PermissionFlagsBits.ViewChannel) && access.has(perms!, PermissionFlagsBits.ReadMessageHistory));
        const publicRead = canList ? await readArchived(client, id, 'public', put, signal) : 'refused';
        if (publicRead !== 'read') {
          scopes.push(`${id}/`);
          (publicRead === 'refused' ? hidden : failed).push(channelLabel({ name: String(parent.name), type: Number(parent.type) }));
          continue;
        }
        const canListPrivate = !access || access.has(perms!, PermissionFlagsBits.ManageThreads);
        const privateRead = canListPrivate ? await readArchived(client, id, 'private', put, signal) : 'refused';
        if (privateRead !== 'read') {
          scopes.push(`${id}/private/`);
          (privateRead === 'refused' ? noPrivate : failed).push(channelLabel({ name: String(parent.name), type: Number(parent.type) }));
        }
        job.progress({ phase: 'snapshot', message: `threads (${partOf(next, parents.length, 'channel')})`, done: next, total: parents.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, parents.length) }, worker));
  }
  if (scopes.length === 0) return;
  const reasons: string[] = [];
  if (options.archivedThreads === false) reasons.push('archived threads were not read (active threads only)');
  if (hidden.length) reasons.push(`no access to the archived threads of ${listNames(hidden)}`);
  if (noPrivate.length) reasons.push(`private archived threads of ${listNames(noPrivate)} need MANAGE_THREADS`);
  if (failed.length) reasons.push(`the archived threads of ${listNames(failed)} could not be read this time (kept from the previous snapshot)`);
  state.status.thread = { partial: reasons.join('; '), scopes };
}

function listNames(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`;
}

/**
 * Reads every page. 'refused' when Discord refuses it (permission or access),
 * 'failed' when a request kept failing (resets, 5xx): either way the caller
 * records a scope, so that channel's threads keep their previous state.
 */
async function readArchived(client: DiscordClient, channelId: string, kind: 'public' | 'private', put: (threads: Json[]) => void, signal: AbortSignal | undefined): Promise<'read' | 'refused' | 'failed'> {
  const found: Json[] = [];
  try {
    for await (const page of client.archivedThreads(channelId, kind, { signal })) found.push(...(page as unknown as Json[]));
  } catch (error) {
    if (error instanceof GuildVaultError && (error.code === 'MISSING_ACCESS' || error.code === 'MISSING_PERMISSION')) return 'refused';
    if (failedPartReason(error) !== undefined && !signal?.aborted) return 'failed';
    throw error;
  }
  put(found);
  return 'read';
}

async function readBans(client: DiscordClient, guildId: string, state: StructureState, progress: (m: string) => void, signal: AbortSignal | undefined): Promise<void> {
  const bans = nodesOf(state, 'ban');
  for await (const page of client.bans(guildId, { signal })) {
    for (const ban of page as unknown as Json[]) bans.set(String((ban.user as Json).id), normalize.normalizeBan(ban));
    progress(`bans (${formatCount(bans.size)})`);
  }
}

async function readMembers(client: DiscordClient, guildId: string, state: LiveState, options: CaptureOptions, progress: (m: string) => void, signal: AbortSignal): Promise<void> {
  const cap = options.maxMembers ?? 50_000;
  const approximate = Number(state.guild.approximate_member_count ?? 0);
  if (approximate > cap) {
    state.status.member = { unreadable: `not listed: ${plural(approximate, 'member')} is over the limit of ${formatCount(cap)}` };
    return;
  }
  const members = nodesOf(state, 'member');
  let seen = 0;
  for await (const page of client.members(guildId, { signal })) {
    for (const member of page as unknown as Json[]) {
      const data = normalize.normalizeMember(member);
      if (data) members.set(String((member.user as Json).id), data);
    }
    seen += page.length;
    progress(`members (${formatCount(seen)})`);
  }
}

async function readSingleton(
  client: DiscordClient,
  route: `/${string}`,
  state: StructureState,
  type: NodeType,
  toNode: (item: Json) => NodeData,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    const item = await client.get<Json>(route, { signal });
    nodesOf(state, type).set(type, toNode(item));
  } catch (error) {
    // A server that never set one up answers 404: that is "none", not "unreadable".
    if (error instanceof GuildVaultError && error.code === 'UNKNOWN_RESOURCE') return;
    throw error;
  }
}

/**
 * Why a part of the capture failed this time (a request that kept failing
 * after its retries: resets, 5xx, timeouts, an endless 429), or undefined when
 * the error is not about that part: a cancel, a rejected token, a vault
 * problem, or a bug (not a GuildVaultError), which must fail the capture.
 */
export function failedPartReason(error: unknown): string | undefined {
  if (!(error instanceof GuildVaultError) || !PART_FAILURES.has(error.code)) return undefined;
  return `could not be read this time (${error.message.replace(/\.$/, '')}); the previous snapshot's data is kept`;
}

const PART_FAILURES = new Set<GuildVaultError['code']>(['API_ERROR', 'API_UNREACHABLE', 'RATE_LIMITED', 'BAD_REQUEST']);

/** The reason a node type could not be read, or undefined when the error must fail the capture. */
export function unreadableReason(type: NodeType, error: unknown): string | undefined {
  if (!(error instanceof GuildVaultError)) return undefined;
  const needs = TYPE_REQUIREMENTS[type];
  switch (error.code) {
    case 'MISSING_PERMISSION':
      return `missing ${needs ?? 'a permission'}`;
    case 'MISSING_ACCESS':
      return type === 'member' ? 'the Server Members intent is not enabled for the bot' : `no access${needs ? ` (needs ${needs})` : ''}`;
    case 'UNKNOWN_RESOURCE':
      return 'not offered by this API (404)';
    default:
      return undefined;
  }
}
