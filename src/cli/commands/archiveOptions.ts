import type { SyncOptions, SyncReport } from '../../core/archive';
import { DEFAULTS, mediaCapBytes } from '../../core/defaults';
import { channelLabel } from '../../core/discord';
import { rangeAndDefault, rangedIntegerOption, stringOption, usageError } from '../args';
import type { OptionSpec, ParsedArgs } from '../command';
import type { CliContext } from '../context';
import { formatDuration, plural } from '../../core/text';

/** Options shared by `backup` and `sync`; the defaults in their help come from the engine's DEFAULTS. */
export const ARCHIVE_OPTIONS: Record<string, OptionSpec> = {
  'recheck-days': {
    type: 'string',
    valueName: 'N',
    description: `Re-read the last N days to record edits, deletions and reaction changes (default ${DEFAULTS.recheckDays.value}; 0 only fetches new messages).`,
  },
  concurrency: {
    type: 'string',
    valueName: 'N',
    description: `Channels fetched at once at the start (${rangeAndDefault(DEFAULTS.channelConcurrency)}); more start while Discord's global limit has room, up to ${DEFAULTS.maxChannelConcurrency}. Discord's rate limits still apply.`,
  },
  'max-file-mb': {
    type: 'string',
    valueName: 'MB',
    description: `Do not download media larger than this; the skip is recorded (default ${DEFAULTS.mediaMaxFileSizeMB.value}; 0: no cap).`,
  },
  'no-media': { type: 'boolean', description: 'Record media references but download no files now (a later run downloads them).' },
  json: { type: 'boolean', description: 'Print the report as JSON on stdout.' },
};

/** The archive options given; what is not given is left to the engine's defaults. */
export function archiveOptions(args: ParsedArgs): SyncOptions {
  const maxMb = stringOption(args, 'max-file-mb');
  if (maxMb !== undefined && !/^\d+(\.\d+)?$/.test(maxMb)) throw usageError(`--max-file-mb needs a number, not "${maxMb}".`, 'For example --max-file-mb 25.');
  return {
    recheckDays: rangedIntegerOption(args, 'recheck-days', DEFAULTS.recheckDays),
    concurrency: rangedIntegerOption(args, 'concurrency', DEFAULTS.channelConcurrency),
    mediaSizeCapBytes: maxMb === undefined ? undefined : mediaCapBytes(Number(maxMb)),
    downloadMedia: args.values['no-media'] !== true,
  };
}

/** The archive part of a report, as lines for people. */
export function describeSyncReport(report: SyncReport): string[] {
  const lines = [report.summary];
  for (const c of report.unreadable) lines.push(`  not readable: ${channelLabel(c)} (${c.id}): ${c.problem}`);
  for (const c of report.failed) lines.push(`  failed: ${channelLabel(c)} (${c.id}): ${c.problem}`);
  for (const problem of report.problems) lines.push(`  note: ${problem}`);
  lines.push(`  ${plural(report.requests, 'request')}, ${formatDuration(report.rateLimitWaitMs)} of rate-limit waits, ${formatDuration(report.durationMs)}`);
  return lines;
}
