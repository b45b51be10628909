import { MessageType, type APIMessage } from 'discord-api-types/v10';

/**
 * Without the Message Content intent Discord still sends messages, but with
 * `content`, `embeds`, `attachments` and `components` emptied (except messages that
 * mention the bot, and the bot's own). A user's ordinary message with none of those
 * cannot exist, so such a message is flagged: its content was withheld, not empty.
 */
const CONTENT_TYPES = new Set<number>([MessageType.Default, MessageType.Reply]);

export function lacksContent(message: APIMessage): boolean {
  if (!CONTENT_TYPES.has(message.type)) return false;
  if (message.author?.bot || message.webhook_id) return false;
  if (message.content) return false;
  if (message.attachments?.length || message.embeds?.length || message.components?.length) return false;
  if (message.sticker_items?.length || message.poll) return false;
  // A forward carries its content in message_snapshots.
  if ((message as { message_snapshots?: unknown[] }).message_snapshots?.length) return false;
  return true;
}
