import { GuildVaultError } from '../errors';
import { baseAlias } from '../privacy';
import { lastKnownNode } from '../snapshots/chain/catalog';
import type { Vault } from '../vault';
import { getArchivedChannel } from './archivedChannels';
import { channelLabel, mentionLabel } from '../discord/channelLabel';
import { isForwardReference } from '../discord/messageKinds';
import { snowflakeAt, snowflakeTime, SNOWFLAKE_PATTERN } from '../discord/snowflake';

/** Discord's markup for mentions and custom emojis in message text; the id's digit rule is SNOWFLAKE_PATTERN's. */
const USER_MENTION = new RegExp(`<@!?(${SNOWFLAKE_PATTERN})>`, 'g');
const ROLE_MENTION = new RegExp(`<@&(${SNOWFLAKE_PATTERN})>`, 'g');
const CHANNEL_MENTION = new RegExp(`<#(${SNOWFLAKE_PATTERN})>`, 'g');
const CUSTOM_EMOJI = new RegExp(String.raw`<a?:(\w{2,32}):${SNOWFLAKE_PATTERN}>`, 'g');
import { formatBytes, formatCount, formatFullDateTime, formatUtc, plural } from '../text';

/** Transcripts are read on other machines than the one that wrote them: their times are in UTC. */
const UTC = { timeZone: 'UTC' };

export interface TranscriptOptions {
  /** 'YYYY-MM' (UTC): only that month. Omitted: the whole channel. */
  month?: string;
  /** Show authors (and mentions) as privacy aliases such as "SwiftFox" instead of their names. */
  aliases?: boolean;
  /** Filled with the line (0-based) each message starts on: search reveals a message with it. */
  messageLines?: Map<string, number>;
}

/**
 * The months (UTC, 'YYYY-MM', oldest first) in which a channel has archived
 * messages. Found with one index seek per month, so it stays fast for channels
 * with millions of messages.
 */
export function listTranscriptMonths(vault: Vault, channelId: string): string[] {
  return countTranscriptMonths(vault, channelId).map((entry) => entry.month);
}

/** The months that have messages in a channel ('YYYY-MM', oldest first), with how many each has. */
export function countTranscriptMonths(vault: Vault, channelId: string): { month: string; messages: number }[] {
  const bounds = vault.db
    .prepare('SELECT CAST(min(id) AS TEXT) AS first, CAST(max(id) AS TEXT) AS last FROM messages WHERE channel_id = ?')
    .get(channelId) as { first: string | null; last: string | null };
  if (!bounds.first || !bounds.last) return [];
  const count = vault.db.prepare('SELECT count(*) AS n FROM messages WHERE channel_id = ? AND id >= ? AND id < ?');
  const months: { month: string; messages: number }[] = [];
  const last = new Date(snowflakeTime(bounds.last));
  for (let at = new Date(snowflakeTime(bounds.first)); ; ) {
    const month = monthKey(at);
    const range = monthRange(month);
    const messages = Number((count.get(channelId, range.from, range.to) as { n: number }).n);
    if (messages > 0) months.push({ month, messages });
    if (month === monthKey(last)) break;
    at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  }
  return months;
}

/**
 * A channel's archived messages as a plain, stable text document (UTC times):
 * author, content, replies and forwards, attachments, embeds, stickers, polls,
 * reactions, edits and deletions seen by rechecks.
 */
export function renderTranscript(vault: Vault, channelId: string, options: TranscriptOptions = {}): string {
  const channel = getArchivedChannel(vault, channelId);
  if (!channel) throw new GuildVaultError('NOT_FOUND', `Channel ${channelId} is not in this vault.`, 'Back up the server, or pick a channel from the tree.');
  const range = options.month ? monthRange(options.month) : undefined;
  const names = new TranscriptNames(vault, options.aliases === true);
  const db = vault.db;
  const attachments = db.prepare('SELECT filename, size, CAST(id AS TEXT) AS id FROM attachments WHERE message_id = ? ORDER BY id');
  const reactions = db.prepare('SELECT emoji, count FROM reactions WHERE message_id = ? ORDER BY count DESC, emoji');
  const embeds = db.prepare('SELECT title, url, description FROM embeds WHERE message_id = ? ORDER BY position');
  const stickers = db.prepare('SELECT name FROM message_stickers WHERE message_id = ?');
  const poll = db.prepare('SELECT question FROM polls WHERE message_id = ?');
  const answers = db.prepare('SELECT text, votes FROM poll_answers WHERE message_id = ? ORDER BY answer_id');
  const mediaOf = db.prepare("SELECT sha256, status, problem FROM media_refs WHERE owner_kind = 'attachment' AND owner_id = ? AND slot = 'file'");
  const query = db.prepare(
    `SELECT CAST(id AS TEXT) AS id, CAST(author_id AS TEXT) AS author_id, type, content, edited_at, deleted_at, content_missing,
            CAST(reference_message_id AS TEXT) AS ref_id, reference_type, pinned,
            (SELECT count(*) FROM message_versions v WHERE v.message_id = messages.id) AS versions
       FROM messages WHERE channel_id = ? AND id >= ? AND id < ? ORDER BY id`,
  );
  const lines: string[] = [];
  // Threads say so: a transcript's title is read on its own, away from the tree.
  const where = channel.isThread ? `thread "${channel.name}"` : channelLabel(channel);
  lines.push(`${where}${options.month ? ` - ${options.month}` : ''}`);
  lines.push(`${plural(channel.messageCount, 'message')} archived${channel.lastSyncAt ? `, last synced ${formatUtc(channel.lastSyncAt)}` : ''}`);
  if (channel.problem) lines.push(`Note: ${channel.problem}`);
  lines.push('');
  let count = 0;
  for (const row of query.iterate(channelId, range?.from ?? '0', range?.to ?? '9223372036854775807') as Iterable<MessageRow>) {
    count++;
    const author = row.author_id ? names.of(row.author_id) : 'unknown';
    const time = formatFullDateTime(snowflakeTime(row.id), UTC);
    const flags = [row.pinned ? 'pinned' : '', row.edited_at ? `edited ${formatFullDateTime(row.edited_at, UTC)}` : '', row.deleted_at ? 'deleted on Discord' : '']
      .filter(Boolean)
      .join(', ');
    options.messageLines?.set(row.id, lines.length);
    lines.push(`[${time}] ${author}${flags ? ` (${flags})` : ''}:`);
    if (row.ref_id) lines.push(`  ${isForwardReference({ type: row.reference_type }) ? 'forwarded from' : 'in reply to'} ${names.referenced(row.ref_id)}`);
    if (row.content) for (const line of names.markup(row.content).split('\n')) lines.push(`  ${line}`);
    if (row.content_missing) lines.push('  [content withheld by Discord: the Message Content intent was off]');
    for (const a of attachments.all(row.id) as { filename: string; size: number | null; id: string }[]) {
      const media = mediaOf.get(a.id) as { sha256: string | null; status: string; problem: string | null } | undefined;
      const stored = media?.sha256 ? `sha256 ${media.sha256.slice(0, 12)}` : media ? `${media.status}${media.problem ? `: ${media.problem}` : ''}` : 'not downloaded';
      lines.push(`  [attachment] ${a.filename}${a.size !== null ? ` (${formatBytes(a.size)})` : ''} - ${stored}`);
    }
    for (const e of embeds.all(row.id) as { title: string | null; url: string | null; description: string | null }[]) {
      lines.push(`  [embed] ${[e.title, e.url].filter(Boolean).join(' ') || (e.description ?? '').slice(0, 80)}`);
    }
    for (const s of stickers.all(row.id) as { name: string }[]) lines.push(`  [sticker] ${s.name}`);
    const p = poll.get(row.id) as { question: string | null } | undefined;
    if (p) {
      lines.push(`  [poll] ${p.question ?? ''}`);
      for (const a of answers.all(row.id) as { text: string | null; votes: number | null }[]) lines.push(`    - ${a.text ?? ''}${a.votes !== null ? ` (${formatCount(a.votes)})` : ''}`);
    }
    const r = reactions.all(row.id) as { emoji: string; count: number }[];
    if (r.length) lines.push(`  reactions: ${r.map((x) => `${x.emoji.includes(':') ? `:${x.emoji.split(':')[0]}:` : x.emoji} ${formatCount(x.count)}`).join('  ')}`);
    if (row.versions > 0) lines.push(`  (${plural(row.versions, 'earlier version')} kept)`);
  }
  if (count === 0) lines.push(options.month ? 'No archived messages in this month.' : 'No archived messages.');
  return lines.join('\n') + '\n';
}

interface MessageRow {
  id: string;
  author_id: string | null;
  type: number;
  content: string;
  edited_at: string | null;
  deleted_at: string | null;
  content_missing: number;
  ref_id: string | null;
  reference_type: number | null;
  pinned: number;
  versions: number;
}

/**
 * Names for a transcript (and exports): authors as display names or privacy aliases, and
 * Discord's markup (mentions of users, roles and channels, custom emojis,
 * timestamps) as text a person reads. Cached per document.
 */
export class TranscriptNames {
  private readonly cache = new Map<string, string>();
  private readonly lookupName;
  private readonly lookupAlias;
  private readonly lookupChannel;
  private readonly lookupMessage;

  constructor(
    private readonly vault: Vault,
    private readonly aliases: boolean,
  ) {
    this.lookupName = vault.db.prepare('SELECT coalesce(global_name, username) AS name FROM users WHERE id = ?');
    this.lookupAlias = vault.db.prepare('SELECT alias FROM user_alias WHERE user_id = ?');
    this.lookupChannel = vault.db.prepare('SELECT name, type FROM archive_channels WHERE id = ?');
    this.lookupMessage = vault.db.prepare('SELECT CAST(author_id AS TEXT) AS author_id, content FROM messages WHERE id = ?');
  }

  of(userId: string): string {
    return this.cached(`u${userId}`, () => {
      if (this.aliases) return (this.lookupAlias.get(userId) as { alias: string } | undefined)?.alias ?? baseAlias(userId);
      return (this.lookupName.get(userId) as { name: string } | undefined)?.name ?? `user ${userId}`;
    });
  }

  /** A replied-to or forwarded message: its author and the start of its text, when it is archived. */
  referenced(messageId: string): string {
    const message = this.lookupMessage.get(messageId) as { author_id: string | null; content: string } | undefined;
    if (!message) return `message ${messageId} (not in the archive)`;
    const author = message.author_id ? this.of(message.author_id) : 'unknown';
    const text = this.markup(message.content).replace(/\s+/g, ' ').trim();
    const snippet = text.length > 60 ? `${text.slice(0, 60).replace(/\s+\S*$/, '')}...` : text;
    return `${author}${snippet ? `: "${snippet}"` : ''} (${messageId})`;
  }

  /**
   * <@123> as @Name (or @Alias: a mention must not leak who was meant),
   * <@&123> as @Role, <#123> as mentionLabel names it ("#general", a thread plainly),
   * <:name:123> as :name:, <t:1700000000:R> as a UTC time.
   */
  markup(content: string): string {
    return content
      .replace(USER_MENTION, (_match, id: string) => `@${this.of(id)}`)
      .replace(ROLE_MENTION, (_match, id: string) => `@${this.roleName(id)}`)
      .replace(CHANNEL_MENTION, (_match, id: string) => this.channelMention(id))
      .replace(CUSTOM_EMOJI, ':$1:')
      .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_match, seconds: string) => formatUtc(Number(seconds) * 1000));
  }

  roleName(roleId: string): string {
    return this.cached(`r${roleId}`, () => String(lastKnownNode(this.vault, 'role', roleId)?.name ?? `role ${roleId}`));
  }

  /** What a `<#id>` mention reads as: the archive's channel or thread, else the newest snapshot's channel, else the id. */
  channelMention(channelId: string): string {
    return this.cached(`c${channelId}`, () => {
      const archived = this.lookupChannel.get(channelId) as { name: string; type: number } | undefined;
      if (archived) return mentionLabel(archived, channelId);
      const known = lastKnownNode(this.vault, 'channel', channelId);
      return mentionLabel(known ? { name: String(known.name), type: Number(known.type) } : undefined, channelId);
    });
  }

  private cached(key: string, compute: () => string): string {
    let value = this.cache.get(key);
    if (value === undefined) {
      value = compute();
      this.cache.set(key, value);
    }
    return value;
  }
}

export function monthKey(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function monthRange(month: string): { from: string; to: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new GuildVaultError('INVALID_ARGUMENT', `"${month}" is not a month.`, 'Give the month as YYYY-MM, e.g. 2024-03.');
  }
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { from: snowflakeAt(Date.UTC(year, index, 1)), to: snowflakeAt(Date.UTC(year, index + 1, 1)) };
}
