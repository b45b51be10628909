import type { APIEmbed } from 'discord-api-types/v10';
import type { ExportAttachment, ExportEmbed, ExportMessage } from '../messageReader';
import type { ExportUser } from '../serverDirectory';
import { dceChannelType, dceDate, dceMessageType, systemMessageText, type FormatWriter, type PartContext } from './writer';
import { SNOWFLAKE_PATTERN } from '../../discord/snowflake';
import { isForwardReference } from '../../discord/messageKinds';

/**
 * DiscordChatExporter's JSON: one file per channel, camelCase keys, string ids,
 * DCE's type names, colours as hex, content with mentions written out as names
 * (DCE's default), media as local paths where the file was exported. Written
 * message by message: "guild" comes first (DCE-frontend looks for it in the first
 * bytes; chat-analytics streams guild, channel, then messages).
 */
export const dceJsonWriter: FormatWriter = {
  extension: 'json',

  begin(sink, context) {
    const { channel } = context.part;
    const parent = channel.parentId ? context.plan.all.find((c) => c.id === channel.parentId) : undefined;
    const head = {
      guild: { id: context.directory.guildId, name: context.directory.guildName, iconUrl: context.directory.guildIconUrl ?? '' },
      channel: {
        id: channel.id,
        type: dceChannelType(channel.type),
        categoryId: parent?.id ?? null,
        category: parent?.name ?? null,
        name: channel.name,
        topic: context.directory.topic(channel.id),
      },
      dateRange: {
        after: context.options.since !== undefined ? dceDate(new Date(context.options.since).toISOString()) : null,
        before: context.options.until !== undefined ? dceDate(new Date(context.options.until).toISOString()) : null,
      },
      exportedAt: dceDate(context.exportedAt),
    };
    const text = JSON.stringify(head, null, 2);
    sink.write(`${text.slice(0, -2)},\n  "messages": [`);
  },

  message(sink, message, context, index) {
    const json = JSON.stringify(dceMessage(message, context), null, 2).replace(/\n/g, '\n    ');
    sink.write(`${index === 0 ? '' : ','}\n    ${json}`);
  },

  end(sink, _context, count) {
    sink.write(`${count ? '\n  ' : ''}],\n  "messageCount": ${count}\n}\n`);
  },
};

function dceMessage(m: ExportMessage, context: PartContext): Record<string, unknown> {
  const names = context.directory.names;
  const content = systemMessageText(m) ?? names.markup(m.content);
  const out: Record<string, unknown> = {
    id: m.id,
    type: dceMessageType(m.type),
    timestamp: dceDate(m.timestamp),
    timestampEdited: dceDate(m.editedAt),
    callEndedTimestamp: null,
    isPinned: m.pinned,
    content,
    author: dceUser(m.author),
    attachments: m.attachments.map(dceAttachment),
    embeds: m.embeds.map((e) => dceEmbed(e, (text) => names.markup(text))),
    stickers: m.stickers.map((s) => ({ id: s.id, name: s.name, format: s.format, sourceUrl: s.url ?? '' })),
    reactions: m.reactions.map((r) => ({
      emoji: { id: r.emoji.id ?? '', name: r.emoji.name, code: r.emoji.name, isAnimated: r.emoji.animated, imageUrl: r.emoji.imageUrl ?? '' },
      count: r.count,
      users: [],
    })),
    mentions: m.mentions.map(dceUser),
    inlineEmojis: inlineEmojis(m.content, context),
  };
  if (m.reference) {
    out.reference = { type: isForwardReference(m.reference) ? 'Forward' : 'Default', messageId: m.reference.messageId, channelId: m.reference.channelId, guildId: m.reference.guildId };
  }
  if (m.forwarded) {
    out.forwardedMessage = { timestamp: dceDate(m.timestamp), timestampEdited: null, content: names.markup(m.forwarded.content), attachments: m.forwarded.attachments.map(dceAttachment), embeds: [], stickers: [] };
  }
  // Beyond DCE (readers ignore unknown keys): what the archive knows that Discord no longer shows.
  if (m.deletedAt) out.deletedAt = dceDate(m.deletedAt);
  if (m.thread) out.thread = { id: m.thread.id, name: m.thread.name };
  return out;
}

function dceUser(u: ExportUser): Record<string, unknown> {
  return {
    id: u.id,
    name: u.name,
    discriminator: u.discriminator,
    nickname: u.displayName,
    color: u.color,
    isBot: u.isBot,
    roles: u.roles.map((r) => ({ id: r.id, name: r.name, color: r.color, position: r.position })),
    avatarUrl: u.avatarUrl ?? '',
  };
}

function dceAttachment(a: ExportAttachment): Record<string, unknown> {
  return { id: a.id, url: a.url ?? '', fileName: a.fileName, fileSizeBytes: a.sizeBytes };
}

function dceEmbed(e: ExportEmbed, text: (markdown: string) => string): Record<string, unknown> {
  const raw: APIEmbed = e.raw;
  const out: Record<string, unknown> = {
    title: text(raw.title ?? ''),
    url: raw.url ?? null,
    timestamp: dceDate(raw.timestamp ?? null),
    description: text(raw.description ?? ''),
  };
  if (typeof raw.color === 'number') out.color = `#${raw.color.toString(16).padStart(6, '0')}`;
  if (raw.author) out.author = { name: raw.author.name, url: raw.author.url ?? null, iconUrl: raw.author.proxy_icon_url ?? raw.author.icon_url ?? null };
  if (raw.thumbnail) out.thumbnail = { url: e.thumbnail ?? raw.thumbnail.url, width: raw.thumbnail.width ?? null, height: raw.thumbnail.height ?? null };
  if (raw.image) out.image = { url: e.image ?? raw.image.url, width: raw.image.width ?? null, height: raw.image.height ?? null };
  if (raw.video) out.video = { url: e.video ?? raw.video.url ?? null, width: raw.video.width ?? null, height: raw.video.height ?? null };
  if (raw.footer) out.footer = { text: raw.footer.text, iconUrl: raw.footer.proxy_icon_url ?? raw.footer.icon_url ?? null };
  out.images = [];
  out.fields = (raw.fields ?? []).map((f) => ({ name: text(f.name), value: text(f.value), isInline: f.inline === true }));
  out.inlineEmojis = [];
  return out;
}

/** Custom emojis written in the text, once per name, as DCE lists them. */
const CUSTOM_EMOJI = new RegExp(`<(a?):(\\w{2,32}):(${SNOWFLAKE_PATTERN})>`, 'g');

function inlineEmojis(content: string, context: PartContext): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const [, animated, name, id] of content.matchAll(CUSTOM_EMOJI)) {
    if (seen.has(name!)) continue;
    seen.add(name!);
    const emoji = context.reader.emoji(id!, name!, animated === 'a');
    out.push({ id: emoji.id, name: emoji.name, code: emoji.name, isAnimated: emoji.animated, imageUrl: emoji.imageUrl ?? '' });
  }
  return out;
}
