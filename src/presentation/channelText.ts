import { ChannelType } from 'discord-api-types/v10';
import { compareSnowflakes, isCategory, isPrivateThread, isThread } from '../core/discord';
export { channelLabel } from '../core/discord/channelLabel';
import { type DateInput, formatAgoShort, formatCount, plural } from '../core/text';

/**
 * What the tree needs of an archived channel: a structural subset of the
 * engine's ArchivedChannel (src/core/archive).
 */
export interface ChannelDisplayInfo {
  id: string;
  name: string;
  type: number;
  parentId?: string | null;
  position?: number | null;
  messageCount?: number;
  lastSyncAt?: DateInput | null;
  status?: string;
  problem?: string | null;
  /** false for forums and media channels: they hold only posts (threads). */
  holdsMessages?: boolean;
}

export interface ChannelTreeEntry<T extends ChannelDisplayInfo> {
  channel: T;
  children: ChannelTreeEntry<T>[];
}

/**
 * Arranges a flat channel list the way Discord's sidebar does: channels
 * without a category first, then categories in order with their channels,
 * threads (and forum posts) under their parent channel. A channel whose parent
 * is not in the list stays visible at the top level rather than vanishing.
 */
export function buildChannelTree<T extends ChannelDisplayInfo>(channels: readonly T[]): ChannelTreeEntry<T>[] {
  const entries = new Map<string, ChannelTreeEntry<T>>();
  for (const channel of channels) entries.set(channel.id, { channel, children: [] });
  const roots: ChannelTreeEntry<T>[] = [];
  for (const entry of entries.values()) {
    const parent = entry.channel.parentId ? entries.get(entry.channel.parentId) : undefined;
    if (parent && parent !== entry) parent.children.push(entry);
    else roots.push(entry);
  }
  sortEntries(roots);
  return roots;
}

function sortEntries<T extends ChannelDisplayInfo>(entries: ChannelTreeEntry<T>[]): void {
  entries.sort(compareChannels);
  for (const entry of entries) sortEntries(entry.children);
}

/** Sidebar order: non-categories before categories, then by position, threads newest first. */
function compareChannels<T extends ChannelDisplayInfo>(a: ChannelTreeEntry<T>, b: ChannelTreeEntry<T>): number {
  const aCategory = isCategory(a.channel.type) ? 1 : 0;
  const bCategory = isCategory(b.channel.type) ? 1 : 0;
  if (aCategory !== bCategory) return aCategory - bCategory;
  if (isThread(a.channel.type) && isThread(b.channel.type)) return compareSnowflakes(b.channel.id, a.channel.id);
  const byPosition = (a.channel.position ?? Number.MAX_SAFE_INTEGER) - (b.channel.position ?? Number.MAX_SAFE_INTEGER);
  if (byPosition !== 0) return byPosition;
  return a.channel.name.localeCompare(b.channel.name) || compareSnowflakes(a.channel.id, b.channel.id);
}

/** A channel the bot cannot sync, in the few words a tree row has room for (by its status). */
const SHORT_PROBLEMS: Record<string, string> = {
  'no-access': 'the bot cannot see it',
  'no-history': 'the bot lacks Read Message History',
};

/**
 * "1,234 msgs · 2h ago" (the last sync), or why it is not (fully) archived. `posts`
 * is the number of threads under a forum, which holds no messages itself.
 */
export function channelDescription(channel: ChannelDisplayInfo, now: DateInput = Date.now(), posts?: number): string {
  if (isCategory(channel.type)) return '';
  // The row says it short (a sentence is cut off at the side bar's edge); the tooltip has the whole problem.
  if (channel.problem) return `⚠ ${SHORT_PROBLEMS[channel.status ?? ''] ?? channel.problem}`;
  const parts: string[] = [];
  if (channel.status === 'gone') parts.push('deleted on Discord');
  if (channel.holdsMessages === false) parts.push(plural(posts ?? 0, 'post'));
  else if (channel.messageCount !== undefined) parts.push(plural(channel.messageCount, 'msg'));
  if (channel.status === 'error') parts.push('⚠ last sync failed');
  else if (channel.status === 'partial') parts.push('history incomplete');
  // A forum holds no messages itself: its posts carry their own sync times.
  if (channel.status !== 'gone' && channel.holdsMessages !== false) parts.push(channel.lastSyncAt ? formatAgoShort(channel.lastSyncAt, now) : 'not synced yet');
  return parts.join(' · ');
}

/** A codicon id per channel type, for the tree. */
export function channelIconId(type: number): string {
  if (isCategory(type)) return 'folder';
  if (isThread(type)) return isPrivateThread(type) ? 'lock' : 'reply';
  switch (type) {
    case ChannelType.GuildVoice:
      return 'unmute';
    case ChannelType.GuildStageVoice:
      return 'broadcast';
    case ChannelType.GuildAnnouncement:
      return 'megaphone';
    case ChannelType.GuildForum:
      return 'comment-discussion';
    case ChannelType.GuildMedia:
      return 'file-media';
    default:
      return 'comment';
  }
}
