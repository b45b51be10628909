import { isCategory } from '../core/discord';
export { channelLabel } from '../core/discord/channelLabel';
import { type DateInput, formatAgoShort, plural } from '../core/text';

/**
 * What the tree and its words need of an archived channel: a structural
 * subset of the engine's ArchivedChannel (src/core/archive).
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

/**
 * "1,234 msgs · 2h ago" (the last sync), or why it is not (fully) archived. `posts`
 * is the number of threads under a forum, which holds no messages itself.
 */
export function channelDescription(channel: ChannelDisplayInfo, now: DateInput = Date.now(), posts?: number): string {
  if (isCategory(channel.type)) return '';
  if (channel.problem) return `⚠ ${channel.problem}`;
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
