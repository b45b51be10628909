import * as fs from 'node:fs';
import type { RawFile } from '@discordjs/rest';
import type { MediaPool } from '../media';
import { formatBytes, plural } from '../text';
import type { ArchivedMessage, ArchiveSource } from './archiveSource';
import { jumpLink, rewriteContent, type RewriteContext } from './contentRewrite';
import { webhookUsername } from './webhookNames';
import { isForwardReference, isReplyReference } from '../discord/messageKinds';

type Json = Record<string, any>;

/** Discord's limits on what one webhook message may carry. */
export const MAX_CONTENT = 2000;
const MAX_FILES = 10;
const MAX_EMBEDS = 10;
/** Mentions are never parsed: nobody is pinged by a replayed message. */
export const NO_MENTIONS = { parse: [] as string[] };
/** SUPPRESS_NOTIFICATIONS (1 << 12): sent silently. */
export const SILENT = 1 << 12;

export interface PayloadContext extends RewriteContext {
  source: ArchiveSource;
  pool: MediaPool;
  uploadLimitBytes: number;
  /** Author name and avatar URL as they should appear (the alias and a generated avatar when aliases are on). */
  author(raw: Json): { name: string; avatarUrl: string };
  /** The target channel a source channel or thread maps to (for reply links). */
  channelTarget(channelId: string): string | undefined;
}

export interface WebhookPayload {
  body: Json;
  files: RawFile[];
  /** Files that went as a note instead (over the limit, not in the vault). */
  filesAsNotes: number;
}

/** Unix seconds of a message, for Discord's `<t:…:f>` timestamp markup (shown in each reader's time zone). */
function unixSeconds(raw: Json): number {
  return Math.floor(Date.parse(String(raw.timestamp)) / 1000);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join('') : text;
}

/** "-# <t:…:f> · edited · ↪ [reply to @Alice](link): what she said": the compact first line of every replayed message. */
function header(message: ArchivedMessage, ctx: PayloadContext): string {
  const raw = message.raw;
  const parts = [`<t:${unixSeconds(raw)}:f>`];
  if (raw.edited_timestamp) parts.push('edited');
  const ref = raw.message_reference as Json | undefined;
  if (ref?.message_id && isReplyReference(ref)) {
    const referenced = raw.referenced_message as Json | undefined | null;
    const who = referenced?.author ? `@${ctx.author(referenced.author).name}` : 'a message';
    const targetMessage = ctx.messageTarget(String(ref.message_id));
    const targetChannel = ctx.channelTarget(String(ref.channel_id ?? message.channelId));
    const snippet = referenced?.content ? `: ${oneLine(rewriteContent(String(referenced.content), ctx), 60)}` : '';
    parts.push(targetMessage && targetChannel ? `↪ [reply to ${who}](${jumpLink(ctx.targetGuildId, targetChannel, targetMessage)})${snippet}` : `↪ reply to ${who} (not migrated)${snippet}`);
  } else if (isForwardReference(ref)) parts.push('↪ forwarded');
  return `-# ${parts.join(' · ')}`;
}

/** What the message showed besides its text: a forward's quoted message, stickers, a poll's results. */
function extras(raw: Json, ctx: PayloadContext): string[] {
  const lines: string[] = [];
  for (const snapshot of (raw.message_snapshots as Json[] | undefined) ?? []) {
    const text = String(snapshot.message?.content ?? '');
    if (text) lines.push(...rewriteContent(text, ctx).split('\n').map((l) => `> ${l}`));
    for (const a of (snapshot.message?.attachments as Json[] | undefined) ?? []) lines.push(`> 📎 ${String(a.filename)}`);
  }
  for (const sticker of (raw.sticker_items as Json[] | undefined) ?? []) lines.push(`-# [sticker: ${String(sticker.name)}]`);
  const poll = raw.poll as Json | undefined;
  if (poll) {
    lines.push(`📊 **${oneLine(String(poll.question?.text ?? ''), 300)}**`);
    const counts = new Map<number, number>(((poll.results?.answer_counts as Json[] | undefined) ?? []).map((c) => [Number(c.id), Number(c.count)]));
    for (const answer of (poll.answers as Json[] | undefined) ?? []) {
      const votes = counts.get(Number(answer.answer_id)) ?? 0;
      lines.push(`- ${oneLine(String(answer.poll_media?.text ?? ''), 55)} (${plural(votes, 'vote')})`);
    }
  }
  return lines;
}

/** Embeds the author wrote (rich ones), cut to the fields a request may set; link previews are left to Discord. */
function authoredEmbeds(raw: Json): Json[] {
  const keep = ['title', 'description', 'url', 'timestamp', 'color', 'fields'];
  return ((raw.embeds as Json[] | undefined) ?? [])
    .filter((e) => e.type === undefined || e.type === 'rich')
    .slice(0, MAX_EMBEDS)
    .map((e) => {
      const out: Json = {};
      for (const key of keep) if (e[key] !== undefined && e[key] !== null) out[key] = e[key];
      if (e.footer?.text) out.footer = { text: e.footer.text, ...(e.footer.icon_url ? { icon_url: e.footer.icon_url } : {}) };
      if (e.author?.name) out.author = { name: e.author.name, ...(e.author.url ? { url: e.author.url } : {}), ...(e.author.icon_url ? { icon_url: e.author.icon_url } : {}) };
      for (const key of ['image', 'thumbnail']) if (e[key]?.url) out[key] = { url: e[key].url };
      return out;
    });
}

/** A file name safe for a multipart header. */
function safeFilename(name: string): string {
  return (name.replace(/["\\\r\n\0/]/g, '_').trim() || 'file').slice(0, 200);
}

/**
 * The Execute Webhook request that replays one archived message: a compact
 * header with the original time, the rewritten text, the author's files from
 * the media pool within the target's upload limit (a file over it becomes a
 * note with its name and size), the embeds the author wrote, sent silently and
 * pinging nobody.
 */
export function buildPayload(message: ArchivedMessage, ctx: PayloadContext): WebhookPayload {
  const raw = message.raw;
  const files: RawFile[] = [];
  const meta: Json[] = [];
  const notes: string[] = [];
  let budget = ctx.uploadLimitBytes;
  for (const attachment of (raw.attachments as Json[] | undefined) ?? []) {
    const name = safeFilename(String(attachment.filename ?? 'file'));
    const stored = ctx.source.attachmentFile(String(attachment.id));
    const size = Number(attachment.size ?? 0);
    if (!stored.sha256) {
      notes.push(`-# 📎 ${name} (${formatBytes(size)}) was not migrated: ${stored.problem} in the vault`);
      continue;
    }
    const filePath = ctx.pool.pathFor(stored.sha256);
    const actual = fs.statSync(filePath, { throwIfNoEntry: false })?.size;
    if (actual === undefined) {
      notes.push(`-# 📎 ${name} (${formatBytes(size)}) was not migrated: its file is missing from the vault`);
      continue;
    }
    if (actual > budget || files.length >= MAX_FILES) {
      notes.push(`-# 📎 ${name} (${formatBytes(actual)}) was not migrated: over this server's upload limit of ${formatBytes(ctx.uploadLimitBytes)} per message`);
      continue;
    }
    budget -= actual;
    meta.push({ id: files.length, filename: name, ...(attachment.description ? { description: truncate(String(attachment.description), 1024) } : {}) });
    files.push({ name, data: fs.readFileSync(filePath), contentType: attachment.content_type ? String(attachment.content_type) : undefined, key: `files[${files.length}]` });
  }

  const head = header(message, ctx);
  const body = rewriteContent(String(raw.content ?? ''), ctx);
  const tail = [...extras(raw, ctx), ...notes].join('\n');
  let content = [head, body, tail].filter(Boolean).join('\n');
  if ([...content].length > MAX_CONTENT) {
    // Too long with the header (Nitro allows 4,000): the whole text goes as message.txt, as Discord does with long pastes.
    const full = Buffer.from(body, 'utf8');
    const note = full.length <= budget && files.length < MAX_FILES ? '… (the full text is in message.txt)' : '… (cut: too long for one message)';
    if (note.startsWith('… (the full')) {
      meta.push({ id: files.length, filename: 'message.txt' });
      files.push({ name: 'message.txt', data: full, contentType: 'text/plain; charset=utf-8', key: `files[${files.length}]` });
    }
    const room = MAX_CONTENT - [...head].length - [...tail].length - [...note].length - 3;
    content = [head, truncate(body, Math.max(0, room)) + note, tail].filter(Boolean).join('\n');
  }

  const author = ctx.author(raw.author as Json);
  const out: Json = {
    content,
    username: webhookUsername(author.name),
    avatar_url: author.avatarUrl,
    allowed_mentions: NO_MENTIONS,
    flags: SILENT,
  };
  const embeds = authoredEmbeds(raw);
  if (embeds.length) out.embeds = embeds;
  if (meta.length) out.attachments = meta;
  return { body: out, files, filesAsNotes: notes.length };
}
