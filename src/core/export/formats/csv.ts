import { shortDate, dceMessageType, systemMessageText, type FormatWriter } from './writer';

const HEADER = ['AuthorID', 'Author', 'Date', 'Content', 'Attachments', 'Reactions', 'MessageID', 'Type', 'Edited', 'Pinned', 'Deleted', 'ReplyTo'];

/**
 * One row per message, DCE's columns first (AuthorID, Author, Date, Content,
 * Attachments, Reactions) and the archive's after them. Safe to open in a
 * spreadsheet: every cell is quoted, and one starting with = + - @ (or a tab or
 * carriage return) is prefixed with an apostrophe so it is never run as a formula.
 */
export const csvWriter: FormatWriter = {
  extension: 'csv',

  begin(sink) {
    // A BOM so spreadsheet programs read the file as UTF-8.
    sink.write(`\uFEFF${HEADER.map(cell).join(',')}\r\n`);
  },

  message(sink, m, context) {
    const names = context.directory.names;
    const row = [
      m.author.id,
      m.author.discriminator === '0000' ? m.author.name : `${m.author.name}#${m.author.discriminator}`,
      `${shortDate(m.timestamp)} UTC`,
      systemMessageText(m) ?? names.markup(m.content),
      m.attachments.map((a) => a.url ?? a.fileName).join(','),
      m.reactions.map((r) => `${r.emoji.id ? `:${r.emoji.name}:` : r.emoji.name} (${r.count})`).join(','),
      m.id,
      dceMessageType(m.type),
      m.editedAt ? `${shortDate(m.editedAt)} UTC` : '',
      m.pinned ? 'yes' : '',
      m.deletedAt ? `${shortDate(m.deletedAt)} UTC` : '',
      m.reference?.messageId ?? '',
    ];
    sink.write(`${row.map(cell).join(',')}\r\n`);
  },

  end() {},
};

/** A quoted CSV cell that no spreadsheet evaluates. */
export function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
