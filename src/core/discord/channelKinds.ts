import { ChannelType } from 'discord-api-types/v10';

/**
 * What each Discord channel type (ChannelTypes in Discord's OpenAPI
 * description) is, asked by name: the engine, the exports and the front ends
 * ask these instead of keeping their own lists of type numbers. Types Discord
 * adds later answer false to all of them, so nothing unknown is synced,
 * restored or written with a "#".
 */
type Kinds = ReadonlySet<number>;

const THREADS: Kinds = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);
/** Forum and media channels hold only posts, which are threads. */
const FORUM_LIKE: Kinds = new Set([ChannelType.GuildForum, ChannelType.GuildMedia]);
/** Voice and stage channels: rooms people join, with a text chat beside them. */
const VOICE_LIKE: Kinds = new Set([ChannelType.GuildVoice, ChannelType.GuildStageVoice]);
/** Channels (not threads) whose own messages are archived. */
const MESSAGE_CHANNELS: Kinds = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ...VOICE_LIKE]);
/** Channels that may have threads under them. */
const THREAD_PARENTS: Kinds = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ...FORUM_LIKE]);
/** Channels people write in by name with a "#", as Discord's client shows them. */
const HASHED: Kinds = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ...FORUM_LIKE]);
const CONVERTIBLE: Kinds = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);
/** The types POST /guilds/{guild.id}/channels creates. */
const CREATABLE: Kinds = new Set([ChannelType.GuildCategory, ...MESSAGE_CHANNELS, ...FORUM_LIKE]);

export function isThread(type: number): boolean {
  return THREADS.has(type);
}

export function isPrivateThread(type: number): boolean {
  return type === ChannelType.PrivateThread;
}

export function isCategory(type: number): boolean {
  return type === ChannelType.GuildCategory;
}

/** Forum and media channels: they hold posts (threads), no messages of their own. */
export function isForumLike(type: number): boolean {
  return FORUM_LIKE.has(type);
}

/** Voice and stage channels. */
export function isVoiceLike(type: number): boolean {
  return VOICE_LIKE.has(type);
}

/** A channel that is not a thread and holds messages itself: text, announcement, voice, stage. */
export function isMessageChannel(type: number): boolean {
  return MESSAGE_CHANNELS.has(type);
}

/** Whether messages live in this channel itself: message channels and threads (not categories, forums, media). */
export function holdsMessages(type: number): boolean {
  return MESSAGE_CHANNELS.has(type) || THREADS.has(type);
}

/** Text, announcement, forum and media channels: the ones threads hang under. */
export function canHaveThreads(type: number): boolean {
  return THREAD_PARENTS.has(type);
}

/** Only text channels have private threads. */
export function canHavePrivateThreads(type: number): boolean {
  return type === ChannelType.GuildText;
}

/** Whether a server's channel list can hold it (and a restore can create it): categories, message channels, forums, media. */
export function isGuildChannel(type: number): boolean {
  return CREATABLE.has(type);
}

/** Discord changes a channel's type only between text and announcement (PATCH /channels/{id}). */
export function canConvertBetween(from: number, to: number): boolean {
  return from !== to && CONVERTIBLE.has(from) && CONVERTIBLE.has(to);
}

/** Whether Discord writes its name with a "#": text, announcement, forum and media channels (not threads, categories, voice). */
export function isWrittenWithHash(type: number): boolean {
  return HASHED.has(type);
}

const KIND_NAMES: Readonly<Record<number, string>> = {
  [ChannelType.GuildText]: 'text',
  [ChannelType.GuildVoice]: 'voice',
  [ChannelType.GuildCategory]: 'category',
  [ChannelType.GuildAnnouncement]: 'announcement',
  [ChannelType.AnnouncementThread]: 'announcement thread',
  [ChannelType.PublicThread]: 'public thread',
  [ChannelType.PrivateThread]: 'private thread',
  [ChannelType.GuildStageVoice]: 'stage',
  [ChannelType.GuildDirectory]: 'directory',
  [ChannelType.GuildForum]: 'forum',
  [ChannelType.GuildMedia]: 'media',
};

/** "text", "voice", "public thread", ... as documents name a channel's kind; "type 99" for one Discord added later. */
export function channelKindName(type: number): string {
  return KIND_NAMES[type] ?? `type ${String(type)}`;
}
