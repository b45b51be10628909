import type { APIMessage } from 'discord-api-types/v10';

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
