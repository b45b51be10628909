import type { APIAttachment, APIEmbed, APIMessage, APIReaction, APIStickerItem } from 'discord-api-types/v10';
import { snowflakeTime } from '../discord/snowflake';
import type { Vault } from '../vault';
import type { MediaLinker } from './mediaLinker';
import type { ExportUser, ServerDirectory } from './serverDirectory';
import { isReplyReference, referenceKind } from '../discord/messageKinds';
import { stickerExtension } from '../discord/cdnFormats';

export interface ExportAttachment {
  id: string;
  fileName: string;
  sizeBytes: number;
  contentType: string | null;
  /** Local path or URL (see MediaLinker). */
  url: string | null;
  isImage: boolean;
  isVideo: boolean;
  isAudio: boolean;
}

export interface ExportEmoji {
  id: string | null;
  name: string;
  animated: boolean;
  imageUrl: string | null;
}

export interface ExportSticker {
  id: string;
  name: string;
  /** DCE's names: Png, Apng, Lottie, Gif. */
  format: string;
  url: string | null;
}

/** An embed as Discord sent it, with its images resolved like attachments. */
export interface ExportEmbed {
  raw: APIEmbed;
  image: string | null;
  thumbnail: string | null;
  video: string | null;
}

export interface ExportReference {
  type: number;
  messageId: string | null;
  channelId: string | null;
  guildId: string | null;
  /** The replied-to message when it is archived: its author and text. */
  target?: { author: ExportUser; content: string; hasMedia: boolean };
}

/** One archived message, as every export format needs it; names already privacy-aware. */
export interface ExportMessage {
  id: string;
  type: number;
  timestamp: string;
  editedAt: string | null;
  /** When a recheck saw it deleted on Discord (the archive keeps it). */
  deletedAt: string | null;
  pinned: boolean;
  content: string;
  contentMissing: boolean;
  author: ExportUser;
  webhook: boolean;
  attachments: ExportAttachment[];
  embeds: ExportEmbed[];
  stickers: ExportSticker[];
  reactions: { emoji: ExportEmoji; count: number }[];
  mentions: ExportUser[];
  reference?: ExportReference;
  /** A forwarded message's text (Discord's message snapshot). */
  forwarded?: { content: string; attachments: ExportAttachment[] };
  /** The thread this message started. */
  thread?: { id: string; name: string };
  poll?: { question: string; answers: { text: string; votes: number | null }[] };
}

interface MessageRow {
  id: string;
  author_id: string | null;
  type: number;
  content: string;
  edited_at: string | null;
  deleted_at: string | null;
  pinned: number;
  content_missing: number;
  thread_id: string | null;
  raw: string;
}

const STICKER_FORMATS: Record<number, string> = { 1: 'Png', 2: 'Apng', 3: 'Lottie', 4: 'Gif' };

/**
 * Reads a channel's archived messages oldest first, one at a time straight from
 * SQLite (nothing is collected), and turns each into an ExportMessage.
 */
export class MessageReader {
  private readonly query;
  private readonly aggregate;
  private readonly referenced;
  private readonly threadName;

  constructor(
    vault: Vault,
    private readonly directory: ServerDirectory,
    private readonly media: MediaLinker,
  ) {
    this.query = vault.db.prepare(
      `SELECT CAST(id AS TEXT) AS id, CAST(author_id AS TEXT) AS author_id, type, content, edited_at, deleted_at, pinned,
              content_missing, CAST(thread_id AS TEXT) AS thread_id, raw
         FROM messages WHERE channel_id = ? AND id >= ? AND id < ? ORDER BY id`,
    );
    this.aggregate = vault.db.prepare(
      `SELECT count(*) AS n, CAST(max(id) AS TEXT) AS newest, total(deleted_at IS NOT NULL) AS deleted, total(pinned) AS pinned,
              (SELECT count(*) FROM message_versions v WHERE v.message_id IN
                 (SELECT id FROM messages WHERE channel_id = ?1 AND id >= ?2 AND id < ?3)) AS versions,
              (SELECT count(*) FROM attachments a JOIN media_refs r
                  ON r.owner_kind = 'attachment' AND r.owner_id = CAST(a.id AS TEXT) AND r.slot = 'file' AND r.sha256 IS NOT NULL
                WHERE a.message_id IN (SELECT id FROM messages WHERE channel_id = ?1 AND id >= ?2 AND id < ?3)) AS media
         FROM messages WHERE channel_id = ?1 AND id >= ?2 AND id < ?3`,
    );
    this.referenced = vault.db.prepare('SELECT CAST(author_id AS TEXT) AS author_id, content, raw FROM messages WHERE id = ?');
    this.threadName = vault.db.prepare('SELECT name FROM archive_channels WHERE id = ?');
  }

  /** Messages of a channel with from <= id < to (snowflake bounds), oldest first. */
  *messages(channelId: string, from: string, to: string): Generator<ExportMessage> {
    for (const row of this.query.iterate(channelId, from, to) as Iterable<MessageRow>) yield this.toMessage(row);
  }

  /**
   * What an export file shows of a range, in a few numbers: when none changed
   * (and nothing around it), the file need not be written again.
   */
  fingerprint(channelId: string, from: string, to: string): { count: number; stamp: string } {
    const row = this.aggregate.get(channelId, from, to) as { n: number; newest: string | null; deleted: number; pinned: number; versions: number; media: number };
    return { count: row.n, stamp: `${row.n}:${row.newest ?? ''}:${row.deleted}:${row.pinned}:${row.versions}:${row.media}` };
  }

  private toMessage(row: MessageRow): ExportMessage {
    const raw = JSON.parse(row.raw) as APIMessage & { message_snapshots?: { message: Partial<APIMessage> }[] };
    const author = this.directory.user(row.author_id, raw.author as unknown as Record<string, unknown>);
    const message: ExportMessage = {
      id: row.id,
      type: row.type,
      timestamp: raw.timestamp ?? new Date(snowflakeTime(row.id)).toISOString(),
      editedAt: row.edited_at,
      deletedAt: row.deleted_at,
      pinned: row.pinned === 1,
      content: row.content,
      contentMissing: row.content_missing === 1,
      author,
      webhook: Boolean(raw.webhook_id),
      attachments: (raw.attachments ?? []).map((a) => this.attachment(a)),
      embeds: (raw.embeds ?? []).map((e, position) => this.embed(row.id, e, position)),
      stickers: (raw.sticker_items ?? []).map((s) => this.sticker(s)),
      reactions: (raw.reactions ?? []).map((r) => ({ emoji: this.reactionEmoji(r), count: r.count })),
      mentions: (raw.mentions ?? []).map((u) => this.directory.user(u.id, u as unknown as Record<string, unknown>)),
    };
    const ref = raw.message_reference;
    if (ref) {
      message.reference = { type: referenceKind(ref), messageId: ref.message_id ?? null, channelId: ref.channel_id ?? null, guildId: ref.guild_id ?? null };
      if (ref.message_id && isReplyReference(ref)) {
        const target = this.referenced.get(ref.message_id) as { author_id: string | null; content: string; raw: string } | undefined;
        if (target) {
          const targetRaw = JSON.parse(target.raw) as APIMessage;
          message.reference.target = {
            author: this.directory.user(target.author_id, targetRaw.author as unknown as Record<string, unknown>),
            content: target.content,
            hasMedia: (targetRaw.attachments?.length ?? 0) + (targetRaw.embeds?.length ?? 0) > 0,
          };
        }
      }
    }
    const snapshot = raw.message_snapshots?.[0]?.message;
    if (snapshot) message.forwarded = { content: snapshot.content ?? '', attachments: (snapshot.attachments ?? []).map((a) => this.attachment(a)) };
    const threadId = row.thread_id ?? raw.thread?.id;
    if (threadId) {
      const name = (this.threadName.get(threadId) as { name: string } | undefined)?.name ?? raw.thread?.name ?? `thread ${threadId}`;
      message.thread = { id: threadId, name };
    }
    if (raw.poll) {
      const votes = new Map((raw.poll.results?.answer_counts ?? []).map((c) => [c.id, c.count]));
      message.poll = {
        question: raw.poll.question?.text ?? '',
        answers: (raw.poll.answers ?? []).map((a) => ({ text: a.poll_media?.text ?? '', votes: votes.get(a.answer_id) ?? null })),
      };
    }
    return message;
  }

  private attachment(a: APIAttachment): ExportAttachment {
    const type = a.content_type ?? '';
    const name = a.filename ?? 'file';
    return {
      id: a.id,
      fileName: name,
      sizeBytes: a.size ?? 0,
      contentType: a.content_type ?? null,
      url: this.media.resolve({ ownerKind: 'attachment', ownerId: a.id, slot: 'file' }, name, a.url ?? null),
      isImage: type.startsWith('image/') || /\.(png|jpe?g|gif|webp|avif)$/i.test(name),
      isVideo: type.startsWith('video/') || /\.(mp4|webm|mov)$/i.test(name),
      isAudio: type.startsWith('audio/') || /\.(mp3|ogg|wav|flac|m4a)$/i.test(name),
    };
  }

  private embed(messageId: string, raw: APIEmbed, position: number): ExportEmbed {
    const owner = `${messageId}:${position}`;
    const resolve = (slot: string, item: { url?: string; proxy_url?: string } | undefined) =>
      item?.url || item?.proxy_url ? this.media.resolve({ ownerKind: 'embed', ownerId: owner, slot }, `${slot}${extensionOf(item.url ?? item.proxy_url ?? '')}`, item.proxy_url ?? item.url ?? null) : null;
    return { raw, image: resolve('image', raw.image), thumbnail: resolve('thumbnail', raw.thumbnail), video: resolve('video', raw.video) };
  }

  private sticker(s: APIStickerItem): ExportSticker {
    const format = STICKER_FORMATS[s.format_type] ?? String(s.format_type);
    const ext = stickerExtension(s.format_type);
    return { id: s.id, name: s.name, format, url: this.media.resolve({ ownerKind: 'sticker', ownerId: s.id, slot: 'image' }, `${s.name}.${ext}`, null) };
  }

  private reactionEmoji(r: APIReaction): ExportEmoji {
    return this.emoji(r.emoji.id ?? null, r.emoji.name ?? '', r.emoji.animated === true);
  }

  emoji(id: string | null, name: string, animated: boolean): ExportEmoji {
    const imageUrl = id ? this.media.resolve({ ownerKind: 'emoji', ownerId: id, slot: 'image' }, `${name || 'emoji'}.${animated ? 'gif' : 'png'}`, null) : null;
    return { id, name, animated, imageUrl };
  }
}

function extensionOf(url: string): string {
  const match = /\.([a-z0-9]{1,5})(?:$|[?#])/i.exec(url);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}
