import type { JobProgress } from '../core/job';
import { formatBytes, formatCount, formatDuration, plural } from '../core/text';

/** The fields of the engine's JobProgress that are shown. */
export type ProgressSnapshot = Omit<JobProgress, 'requests'>;

/** Rate-limit waits seen on the client during a job (DiscordClient 'rateLimited' events). */
export interface RateLimitTally {
  count: number;
  totalWaitMs: number;
}

/**
 * Turns a stream of engine progress events into what a notification shows:
 * "Channel 3 of 41 · #general · 12,345 messages · 4.2 MB · ETA 2 min", and
 * the percentage increments `Progress.report` wants (it takes deltas).
 */
/**
 * How a job's phases share the progress bar, in percent: e.g. a backup's
 * structure snapshot takes [0, 10] and the archive ('*': every other phase)
 * [10, 100]. Without weights the bar follows the current phase's done/total.
 */
export type PhaseWeights = Record<string, readonly [number, number]>;

export class JobProgressTracker {
  private latest: ProgressSnapshot = { phase: 'starting' };
  private reportedPercent = 0;
  private waitingUntil = 0;
  private phaseGroup = '';
  private phaseStartedAt: number;
  private readonly startedAt: number;
  readonly rateLimits: RateLimitTally = { count: 0, totalWaitMs: 0 };

  constructor(
    now: number = Date.now(),
    private readonly weights?: PhaseWeights,
  ) {
    this.startedAt = now;
    this.phaseStartedAt = now;
  }

  update(progress: ProgressSnapshot, now: number = Date.now()): void {
    const group = this.groupOf(progress.phase);
    if (group !== this.phaseGroup) {
      // A new stretch of work: its ETA is extrapolated from its own start.
      this.phaseGroup = group;
      this.phaseStartedAt = now;
    }
    // Counters are running totals; keep the last known value if an event omits one.
    this.latest = {
      ...progress,
      messages: progress.messages ?? this.latest.messages,
      bytes: progress.bytes ?? this.latest.bytes,
    };
  }

  /** A DiscordClient 'rateLimited' event: the job waits `waitMs` before its next request on a route. */
  noteRateLimit(waitMs: number, now: number = Date.now()): void {
    this.rateLimits.count++;
    this.rateLimits.totalWaitMs += waitMs;
    this.waitingUntil = Math.max(this.waitingUntil, now + waitMs);
  }

  /** Share of the current phase done, 0..1, when the engine knows the total. */
  fraction(): number | undefined {
    const { done, total } = this.latest;
    if (done === undefined || !total) return undefined;
    return Math.min(1, Math.max(0, done / total));
  }

  /** Share of the whole job done, 0..1, through the phase weights when there are some. */
  overall(): number | undefined {
    const fraction = this.fraction();
    const range = this.weights?.[this.phaseGroup];
    if (!range) return fraction;
    return (range[0] + (range[1] - range[0]) * (fraction ?? 0)) / 100;
  }

  /**
   * Remaining time of the current phase, extrapolated from its progress so
   * far. Nothing until there is enough to extrapolate from (5% and 3 s), so
   * the first seconds don't show wild numbers.
   */
  etaMs(now: number = Date.now()): number | undefined {
    if (this.latest.etaMs !== undefined) return this.latest.etaMs;
    const fraction = this.fraction();
    const elapsed = now - this.phaseStartedAt;
    if (fraction === undefined || fraction < 0.05 || fraction >= 1 || elapsed < 3000) return undefined;
    return (elapsed / fraction) * (1 - fraction);
  }

  /** Percentage points to add since the last call (never negative). */
  takeIncrement(): number {
    const overall = this.overall();
    if (overall === undefined) return 0;
    const percent = Math.floor(overall * 100);
    const increment = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(this.reportedPercent, percent);
    return increment;
  }

  private groupOf(phase: string): string {
    if (!this.weights) return phase;
    return phase in this.weights ? phase : '*';
  }

  /**
   * What the job is doing now, without counters or ETA: "channel 13 of 44",
   * "structure snapshot: threads (36 of 400 channels)", "media: 313 files left".
   * The server's row in the tree shows it.
   */
  status(): string {
    const [first, ...rest] = this.describe();
    if (!first) return 'starting';
    // A channel's name changes too often for a tree row; the count says enough.
    return first === this.countedPart() ? lowerFirst(first) : lowerFirst([first, ...rest].join(': '));
  }

  /** One line for the notification. */
  text(now: number = Date.now()): string {
    const p = this.latest;
    const parts = [...this.describe()];
    if (p.messages) parts.push(plural(p.messages, 'message'));
    if (p.bytes) parts.push(formatBytes(p.bytes));
    if (now < this.waitingUntil) parts.push(`waiting ${formatDuration(this.waitingUntil - now)} (rate limit)`);
    else if (this.rateLimits.count) parts.push(`${plural(this.rateLimits.count, 'rate-limit wait')} (${formatDuration(this.rateLimits.totalWaitMs)})`);
    const eta = this.etaMs(now);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    return parts.join(' · ');
  }

  /** "Channel 13 of 44" when done/total count the phase's own unit (channels of the message phase). */
  private countedPart(): string | undefined {
    const p = this.latest;
    const unit = COUNTED_UNITS[p.phase];
    if (!unit || p.total === undefined || p.done === undefined || p.total <= 0) return undefined;
    return `${unit} ${formatCount(Math.min(p.done + 1, p.total))} of ${formatCount(p.total)}`;
  }

  /**
   * The phase and its message, said once: a counted phase leads with "Channel 3 of 41" and drops
   * the engine's own "(3 of 41)"; any other phase leads with its name, and its message keeps its
   * own count ("threads (36 of 400 channels)"), which is never mixed with another unit.
   */
  private describe(): string[] {
    const p = this.latest;
    const counted = this.countedPart();
    if (counted) {
      const message = p.message?.replace(/\s*\(\d[\d,]* of \d[\d,]*\)$/, '');
      return message ? [counted, message] : [counted];
    }
    // "media: 313 files left" in the media phase: the phase name is said once.
    const message = p.message?.replace(new RegExp(`^${p.phase}:\\s*`, 'i'), '');
    const name = PHASE_NAMES[p.phase] ?? capitalize(p.phase);
    return message ? [name, message] : [name];
  }

  /** Closing line for the log and the "done" message. */
  summary(now: number = Date.now()): string {
    const p = this.latest;
    const parts = [`took ${formatDuration(now - this.startedAt)}`];
    if (p.messages) parts.push(plural(p.messages, 'message'));
    if (p.bytes) parts.push(`${formatBytes(p.bytes)} of media`);
    if (this.rateLimits.count) parts.push(plural(this.rateLimits.count, 'rate-limit wait'));
    return parts.join(', ');
  }
}

/**
 * Phases whose done/total count one thing. The engine's other phases report the
 * channel count alongside (the media phase) or count in their message, so they
 * get no "N of M" of ours.
 */
const COUNTED_UNITS: Record<string, string> = {
  messages: 'Channel',
  channels: 'Channel',
  archive: 'Channel',
  verify: 'File',
  restore: 'Step',
  migrate: 'Channel',
};

/** What each phase is called when it leads the line. */
const PHASE_NAMES: Record<string, string> = {
  starting: 'Starting',
  snapshot: 'Structure snapshot',
  discover: 'Listing channels and threads',
  media: 'Media',
  done: 'Finishing',
  gc: 'Cleaning the media pool',
};

function lowerFirst(text: string): string {
  return text ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
