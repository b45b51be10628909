import type { APIMessage } from 'discord-api-types/v10';
import type { HasKind } from './queryParser';

/** File names that are images when Discord sent no content type (older messages). */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'bmp', 'svg'];

/**
 * The text a message contributes to the search index: its content, the names
 * of its files, the titles and descriptions of its embeds, the name of the
 * thread it started (a forum post's title is the name of its thread) and its
 * poll. One line each; the index tokenizes, so the separator only keeps words
 * of different parts from running together.
 */
export function messageDocument(message: APIMessage, threadName?: string): string {
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const attachment of message.attachments ?? []) if (attachment.filename) parts.push(attachment.filename);
  for (const embed of message.embeds ?? []) {
    if (embed.title) parts.push(embed.title);
    if (embed.description) parts.push(embed.description);
  }
  const thread = message.thread?.name ?? threadName;
  if (thread) parts.push(thread);
  const poll = message.poll;
  if (poll?.question?.text) parts.push(poll.question.text);
  for (const answer of poll?.answers ?? []) if (answer.poll_media?.text) parts.push(answer.poll_media.text);
  return parts.join('\n');
}

/**
 * What a message has, for has:KIND, as index tokens ("hasfile hasimage"): the
 * index then answers has: filters itself, however rare the kind. The scan
 * without an index asks the same of the archive's tables (searchMessages'
 * HAS_SQL); the tests hold both to the same answers.
 */
export function messageTags(message: APIMessage): string {
  const attachments = message.attachments ?? [];
  const embeds = message.embeds ?? [];
  const has: Record<HasKind, boolean> = {
    file: attachments.length > 0,
    image: attachments.some((a) => a.content_type?.startsWith('image/') || IMAGE_EXTENSIONS.some((ext) => a.filename?.toLowerCase().endsWith(`.${ext}`))) || embeds.some((e) => e.type === 'image' || e.type === 'gifv'),
    video: attachments.some((a) => a.content_type?.startsWith('video/')) || embeds.some((e) => e.type === 'video'),
    link: /https?:\/\//i.test(message.content ?? ''),
    embed: embeds.length > 0,
    sticker: (message.sticker_items ?? []).length > 0,
    poll: message.poll !== undefined && message.poll !== null,
  };
  return (Object.keys(has) as HasKind[]).filter((kind) => has[kind]).map(hasTag).join(' ');
}

/** The index token of has:KIND. */
export function hasTag(kind: HasKind): string {
  return `has${kind}`;
}
