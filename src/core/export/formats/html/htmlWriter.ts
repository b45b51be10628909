import { channelLabel } from '../../../discord/channelLabel';
import type { ExportAttachment, ExportEmbed, ExportMessage } from '../../messageReader';
import type { ExportUser } from '../../serverDirectory';
import { shortDate, systemMessageText, type FormatWriter, type PartContext } from '../writer';
import { escapeHtml, safeHref } from './escape';
import { colorStyle, isEmojiOnly, renderMarkdown, type MarkdownNames } from './markdown';
import { pageEnd, pageStart, THEME_SWITCH } from './pageFrame';
import { MessageType } from 'discord-api-types/v10';
import { isReplyReference } from '../../../discord/messageKinds';
import { formatBytes, formatCount, formatUtc, plural } from '../../../text';

/** Messages of one author closer than this share a header, as in Discord. */
const GROUP_MS = 7 * 60 * 1000;
const SNIPPET = 100;

/**
 * One self-contained page per channel (or per month of a long one), laid out like
 * Discord. Every string from the vault goes through escapeHtml or renderMarkdown;
 * URLs through safeHref. A page keeps only the previous message's author and time.
 */
export function createHtmlWriter(): FormatWriter {
  let previous: { authorId: string; time: number } | undefined;
  let names: MarkdownNames | undefined;

  return {
    extension: 'html',

    begin(sink, context) {
      previous = undefined;
      names = markdownNames(context);
      const { channel, month } = context.part;
      const label = channelLabel(channel);
      const guild = context.directory;
      const parent = channel.parentId ? context.plan.all.find((c) => c.id === channel.parentId) : undefined;
      sink.write(pageStart(`${label}${month ? ` (${month})` : ''} - ${guild.guildName}`, context.options.media ?? 'copy'));
      let header = '<header class="top"><a class="guild" href="index.html">';
      const icon = safeHref(guild.guildIconUrl);
      if (icon) header += `<img src="${escapeHtml(icon)}" alt="">`;
      header += `${escapeHtml(guild.guildName)}</a>`;
      if (parent) {
        const parentFile = context.plan.firstFileOf(parent.id);
        const parentLabel = escapeHtml(channelLabel(parent));
        header += `<span class="stamp">${parentFile ? `<a href="${escapeHtml(parentFile)}">${parentLabel}</a>` : parentLabel} /</span>`;
      }
      header += `<h1>${escapeHtml(label)}</h1>`;
      const topic = guild.topic(channel.id);
      if (topic) header += `<span class="topic" title="${escapeHtml(topic)}">${escapeHtml(topic)}</span>`;
      header += `<span class="spacer"></span>${THEME_SWITCH}</header>\n`;
      sink.write(header);
      if (context.channelPlan.parts.length > 1) sink.write(monthNavigation(context));
      sink.write('<main class="messages">\n');
    },

    message(sink, message, context) {
      sink.write(renderMessage(message, context, names!, previous));
      previous = { authorId: message.author.id, time: Date.parse(message.timestamp) };
    },

    end(sink, context, count) {
      sink.write('</main>\n');
      if (context.channelPlan.parts.length > 1) sink.write(monthNavigation(context));
      sink.write(
        `<footer class="footer">${plural(count, 'message')} · exported ${escapeHtml(formatUtc(context.exportedAt))} by Guild Vault` +
          `${context.options.aliases ? ' · names shown as privacy aliases' : ''}</footer>\n`,
      );
      sink.write(pageEnd());
    },
  };
}

function monthNavigation(context: PartContext): string {
  const parts = context.channelPlan.parts;
  const i = context.partIndex;
  const link = (index: number, text: string) => `<a href="${escapeHtml(parts[index]!.fileName)}">${text}</a>`;
  let html = '<nav class="months">';
  if (i > 0) html += link(i - 1, '← older');
  for (let j = 0; j < parts.length; j++) html += j === i ? `<span class="current">${escapeHtml(parts[j]!.month ?? '')}</span>` : link(j, escapeHtml(parts[j]!.month ?? ''));
  if (i < parts.length - 1) html += link(i + 1, 'newer →');
  return `${html}</nav>\n`;
}

function markdownNames(context: PartContext): MarkdownNames {
  const directory = context.directory;
  return {
    user: (id) => {
      const user = directory.user(id);
      return { name: user.displayName, color: user.color };
    },
    role: (id) => ({ name: directory.roleName(id), color: directory.role(id)?.color ?? null }),
    channel: (id) => ({ label: directory.names.channelMention(id), href: context.plan.firstFileOf(id) ?? null }),
    emoji: (id, name, animated) => context.reader.emoji(id, name, animated).imageUrl,
  };
}

function renderMessage(m: ExportMessage, context: PartContext, names: MarkdownNames, previous: { authorId: string; time: number } | undefined): string {
  const time = Date.parse(m.timestamp);
  const system = systemMessageText(m);
  const anchor = `m${m.id}`;
  if (system && m.type !== MessageType.ThreadStarterMessage) {
    let html = `<div class="system${m.deletedAt ? ' deleted' : ''}" id="${anchor}"><span class="author"${colorStyle(m.author.color)}>${escapeHtml(m.author.displayName)}</span> `;
    if (m.type === MessageType.ThreadCreated && m.thread) html += `started a thread: ${threadLink(m.thread, context)}`;
    else html += escapeHtml(system);
    return `${html} <time class="time" datetime="${escapeHtml(m.timestamp)}">${formatTime(m.timestamp)}</time></div>\n`;
  }
  const followup = previous !== undefined && previous.authorId === m.author.id && time - previous.time < GROUP_MS && !m.reference;
  let html = `<div class="group${followup ? ' followup' : ''}${m.deletedAt ? ' deleted' : ''}" id="${anchor}">`;
  // As in Discord, the replied-to line sits above the avatar and the name.
  if (m.reference?.target && isReplyReference(m.reference)) html += replyLine(m, context);
  else if (isReplyReference(m.reference) && m.reference?.messageId) html += '<div class="reply"><span class="withheld">Original message was not archived</span></div>';
  html += followup ? '<div></div>' : avatar(m.author);
  html += '<div class="body">';
  if (!followup) {
    html += `<div class="head"><span class="author"${colorStyle(m.author.color)} title="${escapeHtml(m.author.name)}">${escapeHtml(m.author.displayName)}</span>`;
    if (m.author.isBot || m.webhook) html += `<span class="badge">${m.webhook ? 'app' : 'bot'}</span>`;
    html += `<time class="time" datetime="${escapeHtml(m.timestamp)}">${formatTime(m.timestamp)}</time></div>`;
  }
  if (m.content) {
    const jumbo = isEmojiOnly(m.content);
    html += `<div class="content${jumbo ? ' jumbo' : ''}">${renderMarkdown(m.content, names)}${markers(m)}</div>`;
  } else {
    html += markers(m);
  }
  if (m.contentMissing) html += '<div class="withheld">Content withheld by Discord: the Message Content intent was off when this was archived.</div>';
  if (m.forwarded) {
    html += `<div class="forwarded"><div class="label">↪ Forwarded</div>`;
    if (m.forwarded.content) html += `<div class="content">${renderMarkdown(m.forwarded.content, names)}</div>`;
    html += attachments(m.forwarded.attachments);
    html += '</div>';
  }
  html += attachments(m.attachments);
  if (m.embeds.length) html += `<div class="embeds">${m.embeds.map((e) => embed(e, names)).join('')}</div>`;
  if (m.stickers.length) {
    html += '<div class="stickers">';
    for (const s of m.stickers) {
      const src = safeHref(s.url);
      html += src && s.format !== 'Lottie' ? `<img class="sticker" src="${escapeHtml(src)}" alt="${escapeHtml(s.name)}" title="${escapeHtml(s.name)}">` : `<span class="file">Sticker: ${escapeHtml(s.name)}</span>`;
    }
    html += '</div>';
  }
  if (m.poll) {
    html += `<div class="poll"><div class="q">${escapeHtml(m.poll.question)}</div><ul>`;
    for (const a of m.poll.answers) html += `<li>${escapeHtml(a.text)}${a.votes !== null ? ` <span class="stamp">${plural(a.votes, 'vote')}</span>` : ''}</li>`;
    html += '</ul></div>';
  }
  if (m.reactions.length) {
    html += '<div class="reactions">';
    for (const r of m.reactions) {
      const src = safeHref(r.emoji.imageUrl);
      const face = src ? `<img class="emoji" src="${escapeHtml(src)}" alt=":${escapeHtml(r.emoji.name)}:" title=":${escapeHtml(r.emoji.name)}:">` : escapeHtml(r.emoji.id ? `:${r.emoji.name}:` : r.emoji.name);
      html += `<span class="reaction">${face}<span>${formatCount(r.count)}</span></span>`;
    }
    html += '</div>';
  }
  if (m.thread) html += `<div>${threadLink(m.thread, context)}</div>`;
  return `${html}</div></div>\n`;
}

function markers(m: ExportMessage): string {
  const parts: string[] = [];
  if (m.pinned) parts.push('<span class="marker">📌 pinned</span>');
  if (m.editedAt) parts.push(`<span class="marker" title="edited ${escapeHtml(m.editedAt)}">(edited)</span>`);
  if (m.deletedAt) parts.push(`<span class="marker del" title="seen deleted ${escapeHtml(m.deletedAt)}">deleted on Discord</span>`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function replyLine(m: ExportMessage, context: PartContext): string {
  const target = m.reference!.target!;
  const flat = context.directory.names.markup(target.content).replace(/\s+/g, ' ').trim();
  const snippet = flat.length > SNIPPET ? `${Array.from(flat).slice(0, SNIPPET).join('')}…` : flat || (target.hasMedia ? 'Click to see attachment' : '');
  const sameChannel = !m.reference!.channelId || m.reference!.channelId === context.part.channel.id;
  const text = `<span class="who"${colorStyle(target.author.color)}>@${escapeHtml(target.author.displayName)}</span> <span>${escapeHtml(snippet)}</span>`;
  return `<div class="reply">${sameChannel && m.reference!.messageId ? `<a href="#m${escapeHtml(m.reference!.messageId)}">${text}</a>` : text}</div>`;
}

function threadLink(thread: { id: string; name: string }, context: PartContext): string {
  const file = context.plan.firstFileOf(thread.id);
  const text = `🧵 ${escapeHtml(thread.name)}`;
  return file ? `<a class="thread-link" href="${escapeHtml(file)}">${text}</a>` : `<span class="thread-link">${text}</span>`;
}

function avatar(user: ExportUser): string {
  const src = safeHref(user.avatarUrl);
  if (src) return `<img class="avatar" src="${escapeHtml(src)}" alt="" loading="lazy">`;
  const initial = Array.from(user.displayName.trim())[0] ?? '?';
  return `<div class="avatar default" aria-hidden="true">${escapeHtml(initial)}</div>`;
}

function attachments(list: ExportAttachment[]): string {
  if (!list.length) return '';
  let html = '<div class="attachments">';
  for (const a of list) {
    const src = safeHref(a.url);
    const name = escapeHtml(a.fileName);
    if (src && a.isImage) html += `<a href="${escapeHtml(src)}" target="_blank" rel="noopener noreferrer"><img class="attachment-image" src="${escapeHtml(src)}" alt="${name}" title="${name}" loading="lazy"></a>`;
    else if (src && a.isVideo) html += `<video controls preload="metadata" src="${escapeHtml(src)}" title="${name}"></video>`;
    else if (src && a.isAudio) html += `<audio controls preload="none" src="${escapeHtml(src)}" title="${name}"></audio>`;
    else html += `<div class="file">📄 ${src ? `<a href="${escapeHtml(src)}" target="_blank" rel="noopener noreferrer">${name}</a>` : `${name} <span class="size">(not in the vault)</span>`} <span class="size">${formatBytes(a.sizeBytes)}</span></div>`;
  }
  return `${html}</div>`;
}

function embed(e: ExportEmbed, names: MarkdownNames): string {
  const raw = e.raw;
  const color = typeof raw.color === 'number' && raw.color >= 0 && raw.color <= 0xffffff ? ` style="border-left-color:#${raw.color.toString(16).padStart(6, '0')}"` : '';
  let html = `<div class="embed"${color}>`;
  const thumb = safeHref(e.thumbnail);
  if (thumb) html += `<img class="thumb" src="${escapeHtml(thumb)}" alt="">`;
  if (raw.author?.name) {
    const href = safeHref(raw.author.url);
    const name = escapeHtml(raw.author.name);
    html += `<div class="e-author">${href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${name}</a>` : name}</div>`;
  }
  if (raw.title) {
    const href = safeHref(raw.url);
    const title = renderMarkdown(raw.title, names);
    html += `<div class="e-title">${href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${title}</a>` : title}</div>`;
  }
  if (raw.description) html += `<div class="e-desc">${renderMarkdown(raw.description, names)}</div>`;
  if (raw.fields?.length) {
    html += '<div class="fields">';
    for (const f of raw.fields) html += `<div class="field${f.inline ? ' inline' : ''}"><div class="f-name">${renderMarkdown(f.name, names)}</div><div class="f-value">${renderMarkdown(f.value, names)}</div></div>`;
    html += '</div>';
  }
  const image = safeHref(e.image);
  if (image) html += `<img class="e-image" src="${escapeHtml(image)}" alt="">`;
  const video = safeHref(e.video);
  if (video) html += `<video class="e-image" controls preload="metadata" src="${escapeHtml(video)}"></video>`;
  const footer = [raw.footer?.text, raw.timestamp && !raw.timestamp.startsWith('1970') ? formatTime(raw.timestamp) : ''].filter(Boolean).join(' • ');
  if (footer) html += `<div class="e-footer">${escapeHtml(footer)}</div>`;
  return `${html}</div>`;
}

function formatTime(iso: string): string {
  return `${escapeHtml(shortDate(iso))} UTC`;
}

