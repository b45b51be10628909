import { ChannelType } from 'discord-api-types/v10';
import { compareSnowflakes, isCategory, isPrivateThread, isThread } from '../engine';
import type { ChannelDisplayInfo } from '../../presentation/channelText';

/*
 * The Channels tree's shape and icons: plain (no vscode import), so its rules
 * are tested under mocha; channelNode.ts turns them into TreeItems.
 */

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
