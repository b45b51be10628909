import type { JobProgress } from '../core/job';
import { JobProgressTracker } from '../presentation/jobProgressText';
import { terminalSafe, terminalSafeLine } from '../presentation/terminalText';

/** Where progress goes: stderr, so stdout stays clean for scripts. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 5000;

/**
 * A job's progress on the terminal: on a TTY one line rewritten in place
 * (throttled); otherwise plain lines, one when the phase or step changes and
 * at most one every few seconds in between, so logs and CI stay readable.
 * The wording is the extension's (JobProgressTracker), so both read alike.
 */
export class ProgressLine {
  readonly tracker = new JobProgressTracker();
  private shown = '';
  private lastDrawAt = 0;
  private lastStep = '';
  private lastPlainAt = 0;
  private active = false;

  constructor(private readonly stream: ProgressStream) {}

  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: JobProgress): void {
    this.tracker.update(progress);
    this.active = true;
    const now = Date.now();
    if (this.interactive) {
      if (now - this.lastDrawAt < TTY_INTERVAL_MS) return;
      this.lastDrawAt = now;
      this.draw(this.tracker.text(now));
      return;
    }
    const step = `${progress.phase}|${progress.message ?? ''}|${progress.done ?? ''}`;
    if (step === this.lastStep && now - this.lastPlainAt < PLAIN_INTERVAL_MS) return;
    this.lastStep = step;
    this.lastPlainAt = now;
    this.stream.write(`${terminalSafeLine(this.tracker.text(now))}\n`);
  }

  /** The Discord client waited on a rate limit. */
  rateLimited(waitMs: number): void {
    this.tracker.noteRateLimit(waitMs);
  }

  /** A whole line above the progress line (warnings, steps). */
  note(line: string): void {
    this.around(() => this.stream.write(`${terminalSafe(line)}\n`));
  }

  /** Runs `write` (to this stream or another on the same screen) with the progress line lifted. */
  around(write: () => void): void {
    this.clear();
    write();
    if (this.interactive && this.shown) this.draw(this.shown);
  }

  /** Removes the progress line; returns the job's closing summary if a job ran. */
  done(): string | undefined {
    this.clear();
    this.shown = '';
    if (!this.active) return undefined;
    this.active = false;
    return this.tracker.summary();
  }

  private draw(text: string): void {
    // A pseudo-terminal may report 0 columns: assume 80 then.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const line = terminalSafeLine(text);
    this.shown = line;
    this.stream.write(`\r${line.length > width ? `${line.slice(0, width - 1)}…` : line}\x1b[K`);
  }

  private clear(): void {
    if (this.interactive && this.shown) this.stream.write('\r\x1b[K');
  }
}
