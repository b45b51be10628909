import type { JobProgress } from '../core/job';
import { formatBytes, formatCount, formatDuration } from './format';

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

  /** One line for the notification. */
  text(now: number = Date.now()): string {
    const p = this.latest;
    const parts: string[] = [];
    const counted = p.total !== undefined && p.done !== undefined && p.total > 0;
    if (counted) parts.push(`${phaseUnit(p.phase)} ${formatCount(Math.min(p.done! + 1, p.total!))} of ${formatCount(p.total!)}`);
    else parts.push(capitalize(p.phase));
    // The engine may add its own "(3 of 41)": ours (from done/total) is the one the percentage follows.
    const message = counted ? p.message?.replace(/\s*\(\d[\d,]* of \d[\d,]*\)$/, '') : p.message;
    if (message) parts.push(message);
    if (p.messages) parts.push(`${formatCount(p.messages)} messages`);
    if (p.bytes) parts.push(formatBytes(p.bytes));
    if (now < this.waitingUntil) parts.push(`waiting ${formatDuration(this.waitingUntil - now)} (rate limit)`);
    else if (this.rateLimits.count) parts.push(`${this.rateLimits.count} rate-limit wait${this.rateLimits.count === 1 ? '' : 's'} (${formatDuration(this.rateLimits.totalWaitMs)})`);
    const eta = this.etaMs(now);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    return parts.join(' · ');
  }

  /** Closing line for the log and the "done" message. */
  summary(now: number = Date.now()): string {
    const p = this.latest;
    const parts = [`took ${formatDuration(now - this.startedAt)}`];
    if (p.messages) parts.push(`${formatCount(p.messages)} messages`);
    if (p.bytes) parts.push(`${formatBytes(p.bytes)} of media`);
    if (this.rateLimits.count) parts.push(`${this.rateLimits.count} rate-limit waits`);
    return parts.join(', ');
  }
}

/** "channels" phase counts channels, etc. Falls back to "Step". */
function phaseUnit(phase: string): string {
  const units: Record<string, string> = {
    messages: 'Channel',
    channels: 'Channel',
    archive: 'Channel',
    discover: 'Channel',
    snapshot: 'Step',
    media: 'File',
  };
  return units[phase] ?? 'Step';
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
