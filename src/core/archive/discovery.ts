import { PermissionFlagsBits, type APIGuild, type APIGuildMember, type APIThreadChannel, type APIThreadMember, type APIUser } from 'discord-api-types/v10';
import { canHavePrivateThreads, canHaveThreads, compareSnowflakes, isCategory, isMessageChannel, isPrivateThread, isThread, type DiscordClient } from '../discord';
import { describeError, isGuildVaultError } from '../errors';
import { guildPermissionsFromGuildList, memberUnreadable } from '../snapshots/botAccess';
import { basePermissions, channelPermissions, hasPermission } from '../snapshots/permissions';
import { plural } from '../text';

/** A channel as the archive sees it: the API object and whether the bot can read it. */
export interface DiscoveredChannel {
  id: string;
  type: number;
  name: string;
  parentId: string | null;
  position: number | null;
  isThread: boolean;
  /** Newest message id Discord reports for it, when it does (lets a sync skip unchanged channels). */
  lastMessageId: string | null;
  /** When a message was last pinned or unpinned here (Discord's last_pin_timestamp). */
  lastPinTimestamp: string | null;
  /** Set when lastMessageId may be stale (a thread known from an earlier run): always ask Discord. */
  mustFetch?: boolean;
  /** The channel object as Discord sent it. */
  raw: object;
  access: 'ok' | 'no-access' | 'no-history';
  /** Why it cannot be read, in words a user understands. */
  problem?: string;
}

export interface Discovery {
  botUserId: string;
  guild: { id: string; name: string };
  /** Message-holding channels and threads, parents before their threads. */
  channels: DiscoveredChannel[];
  /** Categories (for names and nesting in the tree), not synced. */
  categories: DiscoveredChannel[];
  /** Guild-wide problems (e.g. archived private threads cannot be listed). */
  problems: string[];
}

export interface DiscoverOptions {
  signal?: AbortSignal;
  /**
   * Archived threads are listed most recently archived first; stop listing a
   * parent once threads were archived before this time (ISO): older ones were
   * seen by an earlier discovery. Undefined: list everything.
   */
  archivedSince?: string;
  /** Do not list archived threads at all (a listing ran recently; see syncArchive). */
  skipArchived?: boolean;
  /** Told before each channel's archived threads are listed: on a large server this is most of discovery. */
  onListingThreads?: (done: number, total: number) => void;
}

/**
 * Finds every channel that holds messages: text, announcement, voice and stage
 * chat, active threads, archived public and private threads, joined private
 * threads, forum and media posts; and decides from the bot's computed permissions
 * which of them it can read.
 */
export async function discoverChannels(client: DiscordClient, guildId: string, options: DiscoverOptions = {}): Promise<Discovery> {
  const { signal } = options;
  const me = await client.get<APIUser>('/users/@me', { signal });
  const [guild, member, channels, active] = await Promise.all([
    client.get<APIGuild>(`/guilds/${guildId}`, { signal }),
    readOwnMember(client, guildId, me.id, signal),
    client.get<RawChannel[]>(`/guilds/${guildId}/channels`, { signal }),
    client.get<{ threads: APIThreadChannel[]; members: APIThreadMember[] }>(`/guilds/${guildId}/threads/active`, { signal }),
  ]);
  const result: Discovery = { botUserId: me.id, guild: { id: guild.id, name: guild.name }, channels: [], categories: [], problems: [] };
  let access: BotAccess;
  if (member.ok) {
    const base = basePermissions(guild.id, guild.owner_id, me.id, member.roles, guild.roles);
    access = { permissionsIn: (overwrites) => channelPermissions(base, guild.id, me.id, member.roles, overwrites ?? []) };
  } else {
    access = await fallbackAccess(client, guildId, signal);
    result.problems.push(
      `The bot's own member could not be read (${member.problem}), so its permissions per channel are unknown: every channel is tried, and those Discord refuses are reported as unreadable.`,
    );
  }
  const byId = new Map(channels.map((c) => [c.id, c]));
  const sorted = [...channels].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || compareSnowflakes(a.id, b.id));
  for (const channel of sorted) {
    if (isCategory(channel.type)) result.categories.push(describe(channel, access, undefined));
    else if (isMessageChannel(channel.type) || canHaveThreads(channel.type)) result.channels.push(describe(channel, access, undefined));
  }

  const joined = new Set(active.members.map((m) => m.id).filter((id): id is string => Boolean(id)));
  const threads = new Map<string, RawChannel>();
  for (const thread of active.threads) threads.set(thread.id, thread as unknown as RawChannel);
  let privateListingDenied = 0;
  const parents = options.skipArchived
    ? []
    : sorted.filter((parent) => {
        if (!canHaveThreads(parent.type)) return false;
        const perms = access.permissionsIn(parent.permission_overwrites);
        return hasPermission(perms, PermissionFlagsBits.ViewChannel) && hasPermission(perms, PermissionFlagsBits.ReadMessageHistory);
      });
  for (const [index, parent] of parents.entries()) {
    options.onListingThreads?.(index, parents.length);
    const perms = access.permissionsIn(parent.permission_overwrites);
    await listArchived(client, parent.id, 'public', options, threads);
    if (!canHavePrivateThreads(parent.type)) continue;
    if (hasPermission(perms, PermissionFlagsBits.ManageThreads)) {
      await listArchived(client, parent.id, 'private', options, threads);
    } else {
      privateListingDenied++;
      const before = threads.size;
      await listArchived(client, parent.id, 'joined', options, threads);
      for (const id of [...threads.keys()].slice(before)) joined.add(id);
    }
  }
  if (privateListingDenied > 0) {
    result.problems.push(
      `Archived private threads of ${plural(privateListingDenied, 'channel')} cannot be listed: the bot lacks Manage Threads there. Only private threads the bot has joined are archived.`,
    );
  }
  const sortedThreads = [...threads.values()].sort((a, b) => compareSnowflakes(a.id, b.id));
  for (const thread of sortedThreads) {
    if (!isThread(thread.type)) continue;
    const parent = thread.parent_id ? byId.get(thread.parent_id) : undefined;
    result.channels.push(describe(thread, access, { parent, joined: joined.has(thread.id) }));
  }
  return result;
}

/** The bot's computed permissions in a channel, from its overwrites (threads: the parent's). */
interface BotAccess {
  permissionsIn(overwrites: RawChannel['permission_overwrites']): bigint;
}

/** The bot's member (its roles), or why it could not be read. */
async function readOwnMember(client: DiscordClient, guildId: string, botId: string, signal: AbortSignal | undefined): Promise<{ ok: true; roles: string[] } | { ok: false; problem: string }> {
  try {
    const member = await client.get<APIGuildMember>(`/guilds/${guildId}/members/${botId}`, { signal });
    return { ok: true, roles: member.roles ?? [] };
  } catch (error) {
    if (!memberUnreadable(error)) throw error;
    return { ok: false, problem: describeError(error) };
  }
}

/**
 * Without the member's roles, overwrites cannot be applied: every channel
 * counts as readable (the sync tries it, and records Discord's 403 as
 * unreadable), while what only server-wide permissions decide (listing
 * archived private threads needs Manage Threads) comes from the permissions
 * Discord lists with the bot's servers.
 */
async function fallbackAccess(client: DiscordClient, guildId: string, signal: AbortSignal | undefined): Promise<BotAccess> {
  const guildWide = (await guildPermissionsFromGuildList(client, guildId, signal)) ?? 0n;
  const tryAnyway = guildWide | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
  return { permissionsIn: () => tryAnyway };
}

/** A guild channel or thread as returned by the API (only the fields used here are typed). */
interface RawChannel {
  id: string;
  type: number;
  name?: string | null;
  position?: number;
  parent_id?: string | null;
  last_message_id?: string | null;
  last_pin_timestamp?: string | null;
  permission_overwrites?: { id: string; type: number; allow: string; deny: string }[];
  thread_metadata?: { archived: boolean; archive_timestamp: string };
}

async function listArchived(client: DiscordClient, parentId: string, kind: 'public' | 'private' | 'joined', options: DiscoverOptions, into: Map<string, RawChannel>): Promise<void> {
  const since = options.archivedSince ? Date.parse(options.archivedSince) : undefined;
  try {
    for await (const page of client.archivedThreads(parentId, kind, { signal: options.signal })) {
      for (const thread of page) if (!into.has(thread.id)) into.set(thread.id, thread as unknown as RawChannel);
      if (since !== undefined && page.every((t) => Date.parse(t.thread_metadata?.archive_timestamp ?? '') < since)) break;
    }
  } catch (error) {
    // Permissions computed from roles can be wrong (e.g. an overwrite we cannot see): keep going.
    if (isGuildVaultError(error, 'MISSING_ACCESS') || isGuildVaultError(error, 'MISSING_PERMISSION')) return;
    throw error;
  }
}

function describe(channel: RawChannel, access: BotAccess, thread: { parent: RawChannel | undefined; joined: boolean } | undefined): DiscoveredChannel {
  const asThread = thread !== undefined;
  const overwrites = asThread ? thread.parent?.permission_overwrites : channel.permission_overwrites;
  const perms = access.permissionsIn(overwrites);
  const base: DiscoveredChannel = {
    id: channel.id,
    type: channel.type,
    name: channel.name ?? channel.id,
    parentId: channel.parent_id ?? null,
    position: channel.position ?? null,
    isThread: asThread,
    lastMessageId: channel.last_message_id ?? null,
    lastPinTimestamp: channel.last_pin_timestamp ?? null,
    raw: channel,
    access: 'ok',
  };
  if (!hasPermission(perms, PermissionFlagsBits.ViewChannel)) {
    return { ...base, access: 'no-access', problem: 'The bot cannot see this channel (missing View Channel).' };
  }
  if (!hasPermission(perms, PermissionFlagsBits.ReadMessageHistory)) {
    return { ...base, access: 'no-history', problem: 'The bot lacks Read Message History here, so Discord would return no messages; not archived.' };
  }
  if (asThread && isPrivateThread(channel.type) && !thread.joined && !hasPermission(perms, PermissionFlagsBits.ManageThreads)) {
    return { ...base, access: 'no-access', problem: 'Private thread the bot has not joined (needs Manage Threads to read it).' };
  }
  return base;
}
