import { isWrittenWithHash } from './channelKinds';

/**
 * How every front end, log and export names a channel, as Discord's own
 * client does: "#general" for text, announcement, forum and media channels;
 * the plain name for categories, voice and stage rooms, and threads.
 */
export function channelLabel(channel: { name: string; type: number }): string {
  return isWrittenWithHash(channel.type) ? `#${channel.name}` : channel.name;
}

/** A channel the vault never saw (deleted before the first backup, or in another server), named by its id. */
export function unknownChannelLabel(id: string): string {
  return `#unknown-channel (${id})`;
}

/** Embeddings, overrides and isolates: the bidirectional controls whose effect runs past themselves. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * How a `<#id>` mention reads wherever message text is written out
 * (transcripts, exports, search results, migrated messages): the channel's
 * label, so a thread is named without "#" as everywhere else. The name loses
 * its bidirectional controls: it is spliced into someone else's sentence,
 * where an override would reverse the words after the mention.
 */
export function mentionLabel(channel: { name: string; type: number } | undefined, id: string): string {
  return channel ? channelLabel({ name: channel.name.replace(BIDI_CONTROLS, ''), type: channel.type }) : unknownChannelLabel(id);
}
