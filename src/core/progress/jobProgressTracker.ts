import type { JobProgress } from '../job';

/** The fields of the engine's JobProgress that a front end follows. */
export type ProgressSnapshot = Omit<JobProgress, 'requests'>;

/** Rate-limit waits seen on the client during a job (DiscordClient 'rateLimited' events). */
export interface RateLimitTally {
  count: number;
  totalWaitMs: number;
}

/**
 * How a job's phases share the progress bar, in percent: e.g. a backup's
 * structure snapshot takes [0, 10] and the archive ('*': every other phase)
 * [10, 100]. Without weights the bar follows the current phase's done/total.
 */
export type PhaseWeights = Record<string, readonly [number, number]>;

/**
 * Follows a stream of engine progress events: the latest state (counters kept
 * when an event omits them), the rate-limit waits, the share done, the time
 * left and the percentage increments a progress bar wants (VS Code's
 * `Progress.report` takes deltas). Numbers only: the words are
 * src/presentation/jobProgressText's.
 */
export class JobProgressTracker {
  private current: ProgressSnapshot = { phase: 'starting' };
  private reportedPercent = 0;
  private waitingUntil = 0;
  private phaseGroup = '';
  private phaseStartedAt: number;
  readonly startedAt: number;
  readonly rateLimits: RateLimitTally = { count: 0, totalWaitMs: 0 };

  constructor(
    now: number = Date.now(),
    private readonly weights?: PhaseWeights,
  ) {
    this.startedAt = now;
    this.phaseStartedAt = now;
  }

  /** What the job reported last, with the running counters of earlier events. */
  get latest(): ProgressSnapshot {
    return this.current;
  }

  /** Takes an engine event; true when it starts another phase (what the job does changed, not only how far it is). */
  update(progress: ProgressSnapshot, now: number = Date.now()): boolean {
    const phaseChanged = progress.phase !== this.current.phase;
    const group = this.groupOf(progress.phase);
    if (group !== this.phaseGroup) {
      // A new stretch of work: its ETA is extrapolated from its own start.
      this.phaseGroup = group;
      this.phaseStartedAt = now;
    }
    // Counters are running totals; keep the last known value if an event omits one.
    this.current = {
      ...progress,
      messages: progress.messages ?? this.current.messages,
      bytes: progress.bytes ?? this.current.bytes,
    };
    return phaseChanged;
  }

  /** A DiscordClient 'rateLimited' event: the job waits `waitMs` before its next request on a route. */
  noteRateLimit(waitMs: number, now: number = Date.now()): void {
    this.rateLimits.count++;
    this.rateLimits.totalWaitMs += waitMs;
    this.waitingUntil = Math.max(this.waitingUntil, now + waitMs);
  }

  /** How long the job still waits on a rate limit; 0 when it does not. */
  waitingMs(now: number = Date.now()): number {
    return Math.max(0, this.waitingUntil - now);
  }

  /** Share of the current phase done, 0..1, when the engine knows the total. */
  fraction(): number | undefined {
    const { done, total } = this.current;
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
    if (this.current.etaMs !== undefined) return this.current.etaMs;
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
}
