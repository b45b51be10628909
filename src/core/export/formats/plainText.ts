import type { ExportMessage } from '../messageReader';
import { shortDate, systemMessageText, type FormatWriter, type PartContext } from './writer';

const RULE = '='.repeat(62);

/** Plain text laid out as DiscordChatExporter writes it: a header, then each message with its attachments, embeds and reactions. */
export const plainTextWriter: FormatWriter = {
  extension: 'txt',

  begin(sink, context) {
    const { channel } = context.part;
    const parent = channel.parentId ? context.plan.all.find((c) => c.id === channel.parentId) : undefined;
    const lines = [RULE, `Guild: ${context.directory.guildName}`, `Channel: ${parent ? `${parent.name} / ` : ''}${channel.name}`];
    const topic = context.directory.topic(channel.id);
    if (topic) lines.push(`Topic: ${topic}`);
    if (context.options.since !== undefined) lines.push(`After: ${shortDate(new Date(context.options.since).toISOString())} UTC`);
    if (context.options.until !== undefined) lines.push(`Before: ${shortDate(new Date(context.options.until).toISOString())} UTC`);
    lines.push(RULE, '', '');
    sink.write(lines.join('\n'));
  },

  message(sink, message, context) {
    sink.write(`${messageText(message, context)}\n\n`);
  },

  end(sink, _context, count) {
    // DiscordChatExporter's own footer, word for word: tools that read DCE exports expect it.
    sink.write(`${RULE}\nExported ${count} message(s)\n${RULE}\n`);
  },
};

function messageText(m: ExportMessage, context: PartContext): string {
  const names = context.directory.names;
  const marks = [m.pinned ? '(pinned)' : '', m.editedAt ? '(edited)' : '', m.deletedAt ? '(deleted on Discord)' : ''].filter(Boolean).join(' ');
  const lines = [`[${shortDate(m.timestamp)}] ${m.author.displayName}${marks ? ` ${marks}` : ''}`];
  if (m.reference?.target) lines.push(`(in reply to ${m.reference.target.author.displayName}: ${snippet(names.markup(m.reference.target.content))})`);
  const system = systemMessageText(m);
  if (system) lines.push(system);
  else if (m.content) lines.push(names.markup(m.content));
  if (m.forwarded) lines.push(`(forwarded) ${names.markup(m.forwarded.content)}`);
  if (m.attachments.length) {
    lines.push('{Attachments}');
    for (const a of m.attachments) lines.push(a.url ?? a.fileName);
    lines.push('');
  }
  for (const e of m.embeds) {
    lines.push('{Embed}');
    for (const value of [e.raw.author?.name, e.raw.url, e.raw.title, e.raw.description]) if (value) lines.push(names.markup(value));
    for (const f of e.raw.fields ?? []) lines.push(names.markup(f.name), names.markup(f.value));
    for (const url of [e.thumbnail, e.image, e.video]) if (url) lines.push(url);
    if (e.raw.footer?.text) lines.push(e.raw.footer.text);
    lines.push('');
  }
  if (m.stickers.length) {
    lines.push('{Stickers}');
    for (const s of m.stickers) lines.push(s.url ?? s.name);
    lines.push('');
  }
  if (m.poll) {
    lines.push(`{Poll} ${m.poll.question}`);
    for (const a of m.poll.answers) lines.push(`- ${a.text}${a.votes !== null ? ` (${a.votes})` : ''}`);
    lines.push('');
  }
  if (m.reactions.length) {
    lines.push('{Reactions}');
    lines.push(m.reactions.map((r) => `${r.emoji.id ? `:${r.emoji.name}:` : r.emoji.name} (${r.count})`).join(' '));
  }
  if (m.thread) lines.push(`{Thread} ${m.thread.name}`);
  return lines.join('\n').replace(/\n+$/, '');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}...` : flat;
}
