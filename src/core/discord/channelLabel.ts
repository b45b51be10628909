import { ChannelType } from 'discord-api-types/v10';

/** Channel types people write in by name with a "#": Discord shows these with the hash too. */
const HASHED_TYPES = new Set<number>([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildMedia]);

/**
 * How every front end and log names a channel, as Discord's own client does:
 * "#general" for text, announcement, forum and media channels; the plain name
 * for categories, voice and stage rooms, and threads.
 */
export function channelLabel(channel: { name: string; type: number }): string {
  return HASHED_TYPES.has(channel.type) ? `#${channel.name}` : channel.name;
}
