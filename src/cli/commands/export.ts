import { DEFAULTS } from '../../core/defaults';
import { exportServer, EXPORT_FORMATS, MEDIA_MODES, type ExportFormat, type MediaMode } from '../../core/export';
import * as path from 'node:path';
import { integerOption, requireGuildId, stringOption, usageError } from '../args';
import type { CliCommand, ParsedArgs } from '../command';
import { isSnowflake } from '../../core/discord';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Write a vault\'s messages as HTML pages, DiscordChatExporter JSON, text or CSV.',
  usage: 'export <server-id> --out DIR [--format html|json|txt|csv] [--channels ID,...] [--since DATE] [--until DATE] [--media copy|link|none] [--aliases] [--full] [--json]',
  description:
    'Reads the vault (no Discord access, no token) and writes one file per channel and thread into DIR. html: self-contained ' +
    'pages that look like Discord (dark and light), one per month for channels with more than 5,000 messages, and index.html. ' +
    'json: DiscordChatExporter\'s format, read by chat-analytics and DCE-frontend. txt: DCE\'s plain text. csv: one row per ' +
    'message, safe to open in a spreadsheet. --media copy (default) copies attachments, avatars, emojis and stickers from the ' +
    'vault beside the files, each distinct file once, so the folder works offline; link points at the vault\'s own copies; ' +
    'none keeps Discord\'s URLs. Exporting again into the same DIR rewrites only files whose messages changed. ' +
    'Dates are UTC: YYYY-MM-DD or an ISO time; --until is exclusive. Read-only: it can run while a backup is running.',
  usesVault: true,
  options: {
    out: { type: 'string', short: 'o', valueName: 'DIR', description: 'Folder to write into (created when missing).' },
    format: { type: 'string', short: 'f', valueName: 'FORMAT', description: 'html (default), json, txt or csv.' },
    channels: { type: 'string', valueName: 'ID,...', description: 'Only these channels, threads or categories (with their threads).' },
    since: { type: 'string', valueName: 'DATE', description: 'Only messages sent at or after DATE.' },
    until: { type: 'string', valueName: 'DATE', description: 'Only messages sent before DATE.' },
    media: { type: 'string', valueName: 'MODE', description: 'copy (default), link or none.' },
    aliases: { type: 'boolean', description: 'Show people as privacy aliases ("SwiftFox"), without avatars or real ids.' },
    'monthly-above': { type: 'string', valueName: 'N', description: `HTML: split channels with more than N messages by month (default ${DEFAULTS.monthlyTranscriptsAbove}).` },
    full: { type: 'boolean', description: 'Rewrite every file, even unchanged ones.' },
    json: { type: 'boolean', description: 'Print the report as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'export');
    const out = stringOption(args, 'out');
    if (!out) throw usageError('Missing --out DIR.', 'Say where the export goes, e.g. --out ./export.');
    const format = choice(args, 'format', EXPORT_FORMATS, 'html');
    const media = choice(args, 'media', MEDIA_MODES, 'copy');
    const channels = stringOption(args, 'channels');
    const channelIds = channels?.split(',').map((id) => id.trim()).filter(Boolean);
    for (const id of channelIds ?? []) if (!isSnowflake(id)) throw usageError(`"${id}" is not a channel id.`, 'Give channel ids separated by commas.');
    const vault = ctx.vaultStore().open(guildId, { mode: 'read' });
    try {
      const options = {
        format,
        media,
        outDir: path.resolve(ctx.io.cwd, out),
        channelIds,
        since: dateOption(args, 'since'),
        until: dateOption(args, 'until'),
        aliases: args.values.aliases === true,
        monthlyAbove: integerOption(args, 'monthly-above'),
        full: args.values.full === true,
      };
      const report = await exportServer(vault, options, ctx.job());
      ctx.progress.done();
      if (args.values.json) ctx.out(JSON.stringify(report, null, 2));
      else {
        ctx.out(report.summary);
        ctx.out(`Open: ${report.entry}`);
      }
    } finally {
      vault.close();
    }
  },
};

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const value = stringOption(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) throw usageError(`--${name} "${value}" is not one of ${allowed.join(', ')}.`, `For example --${name} ${fallback}.`);
  return value as T;
}

/** A UTC date (YYYY-MM-DD) or an ISO time, as ms since the epoch. */
export function dateOption(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw usageError(`--${name} "${text}" is not a date.`, `Give a UTC date like --${name} 2024-03-01, or an ISO time like 2024-03-01T12:00:00Z.`);
  return ms;
}
