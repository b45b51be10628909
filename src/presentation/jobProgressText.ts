import type { JobProgressTracker, ProgressSnapshot } from '../core/progress/jobProgressTracker';
import { formatBytes, formatCount, formatDuration, plural } from '../core/text';

/**
 * A job's progress in words. `step` says what the job does now and how far it
 * is ("Channel 13 of 44", "Media", "248 files left"); `place` names where it is
 * (the channel's name), which changes too often for a tree row.
 */
export interface ProgressWords {
  step: string[];
  place?: string;
}

/**
 * The one function that turns a job's progress into words: the server's row
 * (jobStatusText), the notification and the CLI's progress line
 * (jobProgressLine) all say what it says, so they cannot disagree on the
 * phase. A counted phase leads with "Channel 3 of 41" and drops the engine's
 * own "(3 of 41)"; any other phase leads with its name, and its message keeps
 * its own count ("threads (36 of 400 channels)"), never mixed with another
 * unit. Names from Discord stay as they came: each front end makes them safe
 * for its screen (terminalSafe, plainText).
 */
export function progressWords(progress: ProgressSnapshot): ProgressWords {
  const message = progress.message?.trim() ?? '';
  const counted = countedPart(progress);
  if (counted) {
    const place = message.replace(/\s*\(\d[\d,]* of \d[\d,]*\)$/, '');
    return place ? { step: [counted], place } : { step: [counted] };
  }
  // "media: 313 files left" in the media phase: the phase name is said once.
  const prefix = `${progress.phase}:`;
  const detail = message.toLowerCase().startsWith(prefix.toLowerCase()) ? message.slice(prefix.length).trimStart() : message;
  const name = PHASE_NAMES[progress.phase] ?? capitalize(progress.phase);
  return { step: detail ? [name, detail] : [name] };
}

/** The server row's line while a job runs: "channel 13 of 44", "media · 248 files left" (how the notification's line starts). */
export function jobStatusText(progress: ProgressSnapshot): string {
  return lowerFirst(progressWords(progress).step.join(' · '));
}

/** The notification's (and the CLI's) line: "Channel 3 of 41 · #general · 12,345 messages · 4.2 MB · ETA 2 min". */
export function jobProgressLine(tracker: JobProgressTracker, now: number = Date.now()): string {
  const p = tracker.latest;
  const words = progressWords(p);
  const parts = [...words.step, ...(words.place ? [words.place] : [])];
  if (p.messages) parts.push(plural(p.messages, 'message'));
  if (p.bytes) parts.push(formatBytes(p.bytes));
  const waiting = tracker.waitingMs(now);
  if (waiting > 0) parts.push(`waiting ${formatDuration(waiting)} (rate limit)`);
  else if (tracker.rateLimits.count) parts.push(`${plural(tracker.rateLimits.count, 'rate-limit wait')} (${formatDuration(tracker.rateLimits.totalWaitMs)})`);
  const eta = tracker.etaMs(now);
  if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
  return parts.join(' · ');
}

/** Closing line for the log and the "done" message: "took 2 min, 12,345 messages, 4.2 MB of media". */
export function jobSummaryText(tracker: JobProgressTracker, now: number = Date.now()): string {
  const p = tracker.latest;
  const parts = [`took ${formatDuration(now - tracker.startedAt)}`];
  if (p.messages) parts.push(plural(p.messages, 'message'));
  if (p.bytes) parts.push(`${formatBytes(p.bytes)} of media`);
  if (tracker.rateLimits.count) parts.push(plural(tracker.rateLimits.count, 'rate-limit wait'));
  return parts.join(', ');
}

/** "Channel 13 of 44" when done/total count the phase's own unit. */
function countedPart(p: ProgressSnapshot): string | undefined {
  const unit = COUNTED_UNITS[p.phase];
  if (!unit || p.total === undefined || p.done === undefined || p.total <= 0) return undefined;
  return `${unit} ${formatCount(Math.min(p.done + 1, p.total))} of ${formatCount(p.total)}`;
}

/**
 * Phases whose done/total count one thing. The engine's other phases report the
 * channel count alongside (the media phase) or count in their message, so they
 * get no "N of M" of ours.
 */
const COUNTED_UNITS: Record<string, string> = {
  messages: 'Channel',
  export: 'Channel',
  verify: 'File',
  bundle: 'File',
  restore: 'Step',
  migrate: 'Channel',
};

/**
 * What each phase the engine reports (src/core: `phase: '...'`) is called when it leads the line,
 * and a counted one before its count is known. The job's title already says what it does
 * ("Restoring ...", "Exporting ..."): these say which part of it runs.
 */
const PHASE_NAMES: Record<string, string> = {
  starting: 'Starting',
  snapshot: 'Structure snapshot',
  discover: 'Listing channels and threads',
  media: 'Media',
  done: 'Finishing',
  gc: 'Cleaning the media pool',
  export: 'Preparing',
  bundle: 'Preparing',
  restore: 'Preparing',
};

/** Every phase that has words of its own (the rest get their capitalised name). */
export const PHASES_IN_WORDS: readonly string[] = [...new Set([...Object.keys(COUNTED_UNITS), ...Object.keys(PHASE_NAMES)])];

function lowerFirst(text: string): string {
  return text ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
