import { isWrittenWithHash } from './channelKinds';

/**
 * How every front end, log and export names a channel, as Discord's own
 * client does: "#general" for text, announcement, forum and media channels;
 * the plain name for categories, voice and stage rooms, and threads.
 */
export function channelLabel(channel: { name: string; type: number }): string {
  return isWrittenWithHash(channel.type) ? `#${channel.name}` : channel.name;
}
