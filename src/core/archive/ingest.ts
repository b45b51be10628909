import type { Statement } from '../vault';
import type { APIAttachment, APIEmbed, APIMessage, APIReaction, APIUser } from 'discord-api-types/v10';
import type { MediaPool, MediaRef } from '../media';
import { ensureAlias } from '../privacy';
import { messageDocument, messageTags, SearchIndexWriter, type IndexedMessage } from '../search';
import type { Vault } from '../vault';
import type { PageScope } from './pageWriter';
import { cdnUrls } from './cdnUrls';
import { lacksContent } from './contentIntent';
import { referenceKind } from '../discord/messageKinds';

export interface PageCounts {
  /** Messages new to the archive. */
  inserted: number;
  /** Messages already archived that changed (the earlier version was kept). */
  changed: number;
  /** Messages whose content probably was withheld (Message Content intent off). */
  contentMissing: number;
  /** New media references (files queued for download). */
  mediaRefs: number;
}

/** Users seen in this process; bounded so a huge guild cannot grow memory without end. */
const USER_CACHE_LIMIT = 50_000;

/**
 * Writes pages of messages into the normalized tables, keeping each full API
 * object in `raw`. Callers run writePage inside a transaction together with the
 * channel's sync cursor, so a page and its cursor are stored together or not at all.
 */
export class MessageIngest {
  private readonly sql: ReturnType<typeof prepare>;
  private readonly seenUsers = new Map<string, string>();
  /** Emoji and sticker images already referenced: the same few appear on thousands of messages. */
  private readonly seenRefs = new Set<string>();
  private readonly urls: ReturnType<typeof cdnUrls>;
  /** The full-text index, written in the same transaction as the page. */
  private readonly search: SearchIndexWriter;

  constructor(
    private readonly vault: Vault,
    private readonly pool: MediaPool,
    options: { cdnBaseUrl: string },
  ) {
    this.sql = prepare(vault);
    this.urls = cdnUrls(options.cdnBaseUrl);
    this.search = new SearchIndexWriter(vault.db);
  }

  /**
   * Stores a page of one channel's messages (any order). Call inside
   * vault.transaction; from a PageWriter, pass its scope: the page's search
   * index entries are then written with the other pages of the commit.
   */
  writePage(channelId: string, messages: readonly APIMessage[], scope?: PageScope): PageCounts {
    // What this page records in the caches below is undone with its rows: a
    // user remembered as written whose row was rolled back would never be written.
    scope?.onRollback(() => this.forgetWritten());
    try {
      return this.writeMessages(channelId, messages, scope);
    } catch (error) {
      this.forgetWritten();
      throw error;
    }
  }

  private writeMessages(channelId: string, messages: readonly APIMessage[], scope: PageScope | undefined): PageCounts {
    const counts: PageCounts = { inserted: 0, changed: 0, contentMissing: 0, mediaRefs: 0 };
    const now = new Date().toISOString();
    const indexed: IndexedMessage[] = [];
    for (const message of messages) {
      const raw = withoutSignatures(JSON.stringify(message));
      const missing = lacksContent(message) ? 1 : 0;
      const inserted = Number(this.sql.insertMessage.run(...messageColumns(channelId, message, missing, raw)).changes) > 0;
      if (inserted) {
        counts.inserted++;
        counts.contentMissing += missing;
        this.writeAuthor(message.author, now, counts);
        this.writeMentioned(message, now);
        this.writeChildren(message, counts);
        indexed.push({ id: message.id, body: this.documentOf(channelId, message), tags: messageTags(message), replaces: false });
        continue;
      }
      const stored = this.sql.selectRaw.get(message.id) as { raw: string; deleted_at: string | null } | undefined;
      if (!stored || (stored.raw === raw && stored.deleted_at === null)) continue;
      if (stored.raw !== raw) {
        this.sql.insertVersion.run(message.id, now, changeReason(JSON.parse(stored.raw) as APIMessage, message), stored.raw);
        counts.changed++;
      }
      this.sql.updateMessage.run(...messageColumns(channelId, message, missing, raw).slice(2), message.id);
      this.clearChildren(message.id);
      this.writeAuthor(message.author, now, counts);
      this.writeMentioned(message, now);
      this.writeChildren(message, counts);
      indexed.push({ id: message.id, body: this.documentOf(channelId, message), tags: messageTags(message), replaces: true });
    }
    if (scope) scope.defer(this.search, indexed);
    else this.search.write(indexed);
    return counts;
  }

  /** Forgets which users and images this process has written (after a rollback took some of them back). */
  private forgetWritten(): void {
    this.seenUsers.clear();
    this.seenRefs.clear();
  }

  /** What the search index holds for a message; a forum post's first message (id = thread id) carries the post's title. */
  private documentOf(channelId: string, message: APIMessage): string {
    return messageDocument(message, message.id === channelId ? this.search.threadName(channelId) : undefined);
  }

  /**
   * Marks archived messages of a channel in (afterId, upToId] that Discord no
   * longer returned as deleted (they are kept). `upToId` undefined: no upper bound.
   */
  markDeleted(channelId: string, afterId: string, upToId: string | undefined, returned: ReadonlySet<string>, now = new Date().toISOString()): number {
    const rows = (upToId === undefined ? this.sql.liveIdsAfter.all(channelId, afterId) : this.sql.liveIdsBetween.all(channelId, afterId, upToId)) as { id: string }[];
    let deleted = 0;
    for (const { id } of rows) {
      if (returned.has(id)) continue;
      this.sql.markDeleted.run(now, id);
      deleted++;
    }
    return deleted;
  }

  /**
   * Users a message mentions (Discord sends them in `mentions`), so a transcript names someone who
   * never wrote (the bot itself, a lurker) instead of "@user <id>". Only new users: what their own
   * messages say about them wins, and no avatar is fetched for a mention.
   */
  private writeMentioned(message: APIMessage, now: string): void {
    for (const user of message.mentions ?? []) {
      if (!user?.id || this.seenUsers.has(user.id)) continue;
      const created = Number(this.sql.insertUser.run(user.id, user.username, user.global_name ?? null, user.bot ? 1 : 0, user.avatar ?? null, JSON.stringify(user), now, now).changes) > 0;
      if (created) ensureAlias(this.vault.db, user.id);
    }
  }

  private writeAuthor(author: APIUser | undefined, now: string, counts: PageCounts): void {
    if (!author) return;
    const signature = `${author.username}\u0000${author.global_name ?? ''}\u0000${author.avatar ?? ''}`;
    if (this.seenUsers.get(author.id) === signature) return;
    if (this.seenUsers.size >= USER_CACHE_LIMIT) this.seenUsers.clear();
    this.seenUsers.set(author.id, signature);
    const created = Number(this.sql.insertUser.run(author.id, author.username, author.global_name ?? null, author.bot ? 1 : 0, author.avatar ?? null, JSON.stringify(author), now, now).changes) > 0;
    if (!created) this.sql.updateUser.run(author.username, author.global_name ?? null, author.bot ? 1 : 0, author.avatar ?? null, JSON.stringify(author), now, author.id);
    else ensureAlias(this.vault.db, author.id);
    if (author.avatar && Number(this.sql.insertAvatar.run(author.id, author.avatar, now).changes) > 0) {
      this.reference(counts, { ownerKind: 'avatar', ownerId: author.id, slot: author.avatar, sourceUrl: this.urls.avatar(author.id, author.avatar) });
    }
  }

  private writeChildren(message: APIMessage, counts: PageCounts): void {
    for (const attachment of message.attachments ?? []) this.writeAttachment(message, attachment, counts);
    (message.embeds ?? []).forEach((embed, position) => this.writeEmbed(message, embed, position, counts));
    for (const reaction of message.reactions ?? []) this.writeReaction(message, reaction, counts);
    for (const sticker of message.sticker_items ?? []) {
      this.sql.insertSticker.run(message.id, sticker.id, sticker.name, sticker.format_type ?? null);
      this.referenceOnce(counts, 'sticker', sticker.id, () => this.urls.sticker(sticker.id, sticker.format_type));
    }
    const poll = message.poll;
    if (poll) {
      this.sql.insertPoll.run(message.id, poll.question?.text ?? null, poll.allow_multiselect ? 1 : 0, poll.expiry ?? null);
      const votes = new Map((poll.results?.answer_counts ?? []).map((c) => [c.id, c.count]));
      for (const answer of poll.answers ?? []) {
        this.sql.insertPollAnswer.run(message.id, answer.answer_id, answer.poll_media?.text ?? null, votes.get(answer.answer_id) ?? null);
      }
    }
  }

  private writeAttachment(message: APIMessage, attachment: APIAttachment, counts: PageCounts): void {
    this.sql.insertAttachment.run(attachment.id, message.id, attachment.filename, attachment.content_type ?? null, attachment.size ?? null, this.urls.strip(attachment.url));
    this.reference(counts, { ownerKind: 'attachment', ownerId: attachment.id, slot: 'file', sourceUrl: attachment.url, size: attachment.size });
  }

  private writeEmbed(message: APIMessage, embed: APIEmbed, position: number, counts: PageCounts): void {
    this.sql.insertEmbed.run(message.id, position, embed.type ?? null, embed.url ?? null, embed.title ?? null, embed.description ?? null);
    const owner = `${message.id}:${position}`;
    const media: [string, { url?: string; proxy_url?: string } | undefined][] = [
      ['image', embed.image],
      ['thumbnail', embed.thumbnail],
      ['video', embed.video],
    ];
    for (const [slot, item] of media) {
      // The proxy URL is Discord's cached copy: the original host may be gone or slow.
      const url = item?.proxy_url ?? item?.url;
      // Any URL is referenced: the downloader fetches only Discord's media hosts and records why it left the others.
      if (url) this.reference(counts, { ownerKind: 'embed', ownerId: owner, slot, sourceUrl: url });
    }
  }

  private writeReaction(message: APIMessage, reaction: APIReaction, counts: PageCounts): void {
    const emoji = reaction.emoji.id ? `${reaction.emoji.name ?? ''}:${reaction.emoji.id}` : (reaction.emoji.name ?? '');
    const details = reaction.count_details;
    this.sql.insertReaction.run(message.id, emoji, reaction.emoji.id ?? null, reaction.count, details?.normal ?? null, details?.burst ?? null);
    const emojiId = reaction.emoji.id;
    if (emojiId) this.referenceOnce(counts, 'emoji', emojiId, () => this.urls.emoji(emojiId, reaction.emoji.animated === true));
  }

  private clearChildren(messageId: string): void {
    for (const statement of this.sql.clearChildren) statement.run(messageId);
  }

  /** The image of a custom emoji or sticker, referenced once per id (slot 'image', as the snapshot capture does). */
  private referenceOnce(counts: PageCounts, ownerKind: 'emoji' | 'sticker', ownerId: string, url: () => string): void {
    const key = `${ownerKind}:${ownerId}`;
    if (this.seenRefs.has(key)) return;
    if (this.seenRefs.size >= USER_CACHE_LIMIT) this.seenRefs.clear();
    this.seenRefs.add(key);
    this.reference(counts, { ownerKind, ownerId, slot: 'image', sourceUrl: url() });
  }

  private reference(counts: PageCounts, ref: MediaRef): void {
    if (this.pool.addReference(ref)) counts.mediaRefs++;
  }
}

/**
 * The stored object with attachment signatures (ex, is, hm) removed: they change
 * on every fetch, so keeping them would make every re-read message look edited.
 * The signed URL the download needs lives in media_refs.
 */
function withoutSignatures(json: string): string {
  if (!json.includes('hm=')) return json;
  return json.replace(/([?&])ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]+&?/g, '$1').replace(/[?&]"/g, '"');
}

function messageColumns(channelId: string, m: APIMessage, missing: number, raw: string): (string | number | null)[] {
  const ref = m.message_reference;
  return [
    m.id,
    channelId,
    m.author?.id ?? null,
    m.type,
    m.flags ?? 0,
    m.content ?? '',
    m.edited_timestamp ?? null,
    m.pinned ? 1 : 0,
    ref ? referenceKind(ref) : null,
    ref?.message_id ?? null,
    ref?.channel_id ?? null,
    ref?.guild_id ?? null,
    m.thread?.id ?? null,
    m.webhook_id ?? null,
    missing,
    raw,
  ];
}

/** Why a stored message differs from what Discord returns now (for message_versions). */
function changeReason(before: APIMessage, after: APIMessage): string {
  if (before.edited_timestamp !== after.edited_timestamp || before.content !== after.content) return 'edited';
  if (JSON.stringify(before.reactions ?? []) !== JSON.stringify(after.reactions ?? [])) return 'reactions';
  if (Boolean(before.pinned) !== Boolean(after.pinned)) return 'pinned';
  return 'updated';
}

function prepare(vault: Vault) {
  const db = vault.db;
  const p = (sql: string): Statement => db.prepare(sql);
  const messageFields =
    'channel_id, author_id, type, flags, content, edited_at, pinned, reference_type, reference_message_id, reference_channel_id, reference_guild_id, thread_id, webhook_id, content_missing, raw';
  return {
    insertMessage: p(`INSERT OR IGNORE INTO messages (id, ${messageFields}) VALUES (${Array(16).fill('?').join(', ')})`),
    updateMessage: p(
      `UPDATE messages SET ${messageFields
        .split(', ')
        .slice(1)
        .map((f) => `${f} = ?`)
        .join(', ')}, deleted_at = NULL WHERE id = ?`,
    ),
    selectRaw: p('SELECT raw, deleted_at FROM messages WHERE id = ?'),
    insertVersion: p('INSERT INTO message_versions (message_id, replaced_at, reason, raw) VALUES (?, ?, ?, ?)'),
    liveIdsBetween: p('SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? AND id > ? AND id <= ? AND deleted_at IS NULL'),
    liveIdsAfter: p('SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? AND id > ? AND deleted_at IS NULL'),
    markDeleted: p('UPDATE messages SET deleted_at = ? WHERE id = ?'),
    insertUser: p('INSERT OR IGNORE INTO users (id, username, global_name, bot, avatar, raw, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    updateUser: p('UPDATE users SET username = ?, global_name = ?, bot = ?, avatar = ?, raw = ?, last_seen = ? WHERE id = ?'),
    insertAvatar: p('INSERT OR IGNORE INTO user_avatars (user_id, avatar, first_seen) VALUES (?, ?, ?)'),
    insertAttachment: p('INSERT OR REPLACE INTO attachments (id, message_id, filename, content_type, size, url) VALUES (?, ?, ?, ?, ?, ?)'),
    insertEmbed: p('INSERT OR REPLACE INTO embeds (message_id, position, type, url, title, description) VALUES (?, ?, ?, ?, ?, ?)'),
    insertReaction: p('INSERT OR REPLACE INTO reactions (message_id, emoji, emoji_id, count, count_normal, count_burst) VALUES (?, ?, ?, ?, ?, ?)'),
    insertSticker: p('INSERT OR REPLACE INTO message_stickers (message_id, sticker_id, name, format_type) VALUES (?, ?, ?, ?)'),
    insertPoll: p('INSERT OR REPLACE INTO polls (message_id, question, allow_multiselect, expiry) VALUES (?, ?, ?, ?)'),
    insertPollAnswer: p('INSERT OR REPLACE INTO poll_answers (message_id, answer_id, text, votes) VALUES (?, ?, ?, ?)'),
    clearChildren: [
      p('DELETE FROM attachments WHERE message_id = ?'),
      p('DELETE FROM embeds WHERE message_id = ?'),
      p('DELETE FROM reactions WHERE message_id = ?'),
      p('DELETE FROM message_stickers WHERE message_id = ?'),
      p('DELETE FROM polls WHERE message_id = ?'),
      p('DELETE FROM poll_answers WHERE message_id = ?'),
    ],
  };
}
