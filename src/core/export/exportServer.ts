import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { channelLabel } from '../discord/channelLabel';
import { GuildVaultError } from '../errors';
import { Job } from '../job';
import type { Vault } from '../vault';
import { planExport, withChannels, type ExportPart } from './exportPlan';
import { FileSink } from './fileSink';
import { csvWriter } from './formats/csv';
import { dceJsonWriter } from './formats/dceJson';
import { createHtmlWriter } from './formats/html/htmlWriter';
import { renderIndexPage } from './formats/html/indexPage';
import { plainTextWriter } from './formats/plainText';
import type { FormatWriter, PartContext } from './formats/writer';
import { readManifest, readMediaNames, writeManifest } from './manifest';
import { MediaLinker } from './mediaLinker';
import { MessageReader } from './messageReader';
import { ServerDirectory } from './serverDirectory';
import { EXPORT_FORMATS, MEDIA_MODES, type ExportFormat, type ExportOptions, type ExportReport } from './types';
import { formatBytes, formatCount, plural } from '../text';

/** Bump when any format's output changes: older exports are then rewritten whole. */
const OUTPUT_VERSION = 1;
/** The event loop gets a turn (and cancel a chance) this often. */
const YIELD_EVERY = 250;

function writerFor(format: ExportFormat): FormatWriter {
  switch (format) {
    case 'html':
      return createHtmlWriter();
    case 'json':
      return dceJsonWriter;
    case 'txt':
      return plainTextWriter;
    case 'csv':
      return csvWriter;
  }
}

/**
 * Writes a vault's archive into a folder as HTML pages, DiscordChatExporter JSON,
 * plain text or CSV: a file per channel and thread (HTML: per month for long
 * channels, plus index.html). Messages stream from SQLite to disk one at a time,
 * so memory stays flat whatever the size. Exporting again into the same folder
 * rewrites only the files whose messages (or names around them) changed. A
 * cancel keeps every finished file, and the next run continues from there.
 */
export async function exportServer(vault: Vault, options: ExportOptions, job: Job = new Job()): Promise<ExportReport> {
  const started = Date.now();
  if (!EXPORT_FORMATS.includes(options.format)) throw new GuildVaultError('INVALID_ARGUMENT', `Unknown export format "${String(options.format)}".`, `Use one of ${EXPORT_FORMATS.join(', ')}.`);
  const mediaMode = options.media ?? 'copy';
  if (!MEDIA_MODES.includes(mediaMode)) throw new GuildVaultError('INVALID_ARGUMENT', `Unknown media mode "${String(mediaMode)}".`, `Use one of ${MEDIA_MODES.join(', ')}.`);
  if (options.since !== undefined && options.until !== undefined && options.since >= options.until) {
    throw new GuildVaultError('INVALID_ARGUMENT', 'The start of the date range is not before its end.', 'Give --since earlier than --until.');
  }
  const outDir = path.resolve(options.outDir);
  const inside = path.relative(vault.dir, outDir);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new GuildVaultError('INVALID_ARGUMENT', 'The export folder is inside the vault.', 'Choose a folder outside the vault, e.g. --out ./export.');
  }
  fs.mkdirSync(outDir, { recursive: true });
  const resolved: ExportOptions = { ...options, media: mediaMode, outDir };

  const media = new MediaLinker(vault, outDir, mediaMode, readMediaNames(outDir));
  const directory = new ServerDirectory(vault, media, options.aliases === true);
  const reader = new MessageReader(vault, directory, media);
  const writer = writerFor(options.format);

  // Count each range first: empty ones get no file, and the counts give progress totals.
  const draft = planExport(vault, resolved, writer.extension);
  const stamps = new Map<ExportPart, { count: number; stamp: string }>();
  for (const channel of draft.channels) {
    for (const part of channel.parts) {
      stamps.set(part, reader.fingerprint(part.channel.id, part.from, part.to));
      // One range at a time, so a host's event loop (VS Code's) keeps running.
      await nextTurn();
      job.throwIfStopped();
    }
    channel.parts = channel.parts.filter((part) => stamps.get(part)!.count > 0);
  }
  const plan = withChannels(draft.all, draft.channels);
  const parts = plan.channels.flatMap((c) => c.parts);
  const totalMessages = parts.reduce((sum, p) => sum + stamps.get(p)!.count, 0);
  const contextKey = createHash('sha256')
    .update(JSON.stringify([OUTPUT_VERSION, options.format, mediaMode, options.aliases === true, options.since ?? null, options.until ?? null, options.monthlyAbove ?? null]))
    .update(directory.digest())
    // Pages link to each other: a new page elsewhere can change links in this one.
    .update(parts.map((p) => p.fileName).join('\n'))
    .digest('hex')
    .slice(0, 32);

  const manifest = readManifest(outDir, directory.guildId, options.format);
  const previous = { ...manifest.files };
  manifest.files = {};
  const exportedAt = new Date().toISOString();
  let written = 0;
  let unchanged = 0;
  let messages = 0;
  let done = 0;
  try {
    for (const channelPlan of plan.channels) {
      for (const [partIndex, part] of channelPlan.parts.entries()) {
        job.throwIfStopped();
        const fingerprint = stamps.get(part)!;
        const stamp = `${contextKey}:${fingerprint.stamp}`;
        const file = path.join(outDir, part.fileName);
        job.progress({
          phase: 'export',
          message: `${channelLabel(part.channel)}${part.month ? ` ${part.month}` : ''} (${formatCount(done + 1)} of ${formatCount(parts.length)})`,
          done,
          total: parts.length,
          messages,
        });
        if (!options.full && previous[part.fileName] === stamp && fs.existsSync(file)) {
          manifest.files[part.fileName] = stamp;
          unchanged++;
          messages += fingerprint.count;
          done++;
          continue;
        }
        const context: PartContext = { plan, channelPlan, part, partIndex, directory, reader, options: resolved, exportedAt };
        messages += await writePart(writer, file, context, job, (count) =>
          job.progress({ phase: 'export', message: `${channelLabel(part.channel)} (${formatCount(done + 1)} of ${formatCount(parts.length)})`, done, total: parts.length, messages: messages + count }),
        );
        manifest.files[part.fileName] = stamp;
        written++;
        done++;
      }
    }
  } catch (error) {
    // What was finished stays valid for the next run.
    for (const [name, stamp] of Object.entries(previous)) if (!(name in manifest.files) && fs.existsSync(path.join(outDir, name))) manifest.files[name] = stamp;
    writeManifest(outDir, { ...manifest, media: media.files() });
    throw error;
  }
  // Files an earlier export wrote that this one does not (a channel now split by month, a narrower range).
  for (const name of Object.keys(previous)) {
    if (name in manifest.files || name !== path.basename(name)) continue;
    fs.rmSync(path.join(outDir, name), { force: true });
  }
  let entry = outDir;
  if (options.format === 'html') {
    entry = path.join(outDir, 'index.html');
    fs.writeFileSync(entry, renderIndexPage(plan, directory, mediaMode, exportedAt, totalMessages));
  }
  writeManifest(outDir, { ...manifest, media: media.files() });
  job.progress({ phase: 'export', message: 'done', done: parts.length, total: parts.length, messages });

  const report: ExportReport = {
    summary: '',
    format: options.format,
    outDir,
    entry,
    channels: plan.channels.length,
    files: parts.map((p) => p.fileName),
    filesWritten: written,
    filesUnchanged: unchanged,
    messages,
    mediaCopied: media.counts.copied,
    mediaBytes: media.counts.bytes,
    mediaMissing: media.counts.missing,
    durationMs: Date.now() - started,
  };
  report.summary =
    `Exported ${plural(messages, 'message')} from ${plural(report.channels, 'channel and thread', 'channels and threads')} as ${options.format.toUpperCase()}: ` +
    `${plural(written, 'file')} written, ${formatCount(unchanged)} unchanged` +
    (mediaMode === 'copy' ? `; ${plural(media.counts.copied, 'media file')} copied (${formatBytes(media.counts.bytes)})` : '') +
    (media.counts.missing ? `; ${plural(media.counts.missing, 'media reference')} not in the vault (Discord URLs kept)` : '') +
    '.';
  return report;
}

async function writePart(writer: FormatWriter, file: string, context: PartContext, job: Job, onCount: (count: number) => void): Promise<number> {
  const sink = new FileSink(file);
  let count = 0;
  try {
    writer.begin(sink, context);
    const { part } = context;
    for (const message of context.reader.messages(part.channel.id, part.from, part.to)) {
      writer.message(sink, message, context, count);
      count++;
      if (count % YIELD_EVERY === 0) {
        onCount(count);
        await nextTurn();
        job.throwIfStopped();
      }
    }
    writer.end(sink, context, count);
    sink.commit();
    return count;
  } catch (error) {
    sink.discard();
    throw error;
  }
}
