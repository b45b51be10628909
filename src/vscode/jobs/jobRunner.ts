import * as vscode from 'vscode';
import { describeError, GuildVaultError, isGuildVaultError, Job } from '../engine';
import type { Log } from '../log/log';
import { JobProgressTracker, type PhaseWeights } from '../../presentation/jobProgressText';
import type { JobStatusBar } from './jobStatusBar';

export interface JobSpec<T> {
  /** What the job works on (a guild id): one job per key at a time. */
  key: string;
  /** "Backing up My Server" */
  title: string;
  /** A background job shows in the status bar only, not as a notification (automatic snapshots). */
  background?: boolean;
  /** How its phases share the progress bar (see PhaseWeights). */
  phaseWeights?: PhaseWeights;
  /** The work, given its Job: cancel, progress and log are wired to VS Code; pass it to every engine call. */
  work(job: Job): Promise<T>;
}

/** How often the notification text is refreshed: the engine reports far more often. */
const REPORT_INTERVAL_MS = 250;

/**
 * Runs engine jobs with VS Code's progress UI: a cancellable notification
 * (cancel aborts the job's signal; the engine stops and keeps what it did),
 * the status bar item, the log. Errors become one clear message.
 */
export class JobRunner implements vscode.Disposable {
  private readonly running = new Map<string, { title: string; controller: AbortController }>();

  constructor(
    private readonly log: Log,
    private readonly statusBar: JobStatusBar,
  ) {}

  isBusy(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Runs the job. Resolves with its result, or undefined if it failed or was
   * cancelled (the user has been told). Never rejects.
   */
  async run<T>(spec: JobSpec<T>): Promise<T | undefined> {
    try {
      return await this.runOrThrow(spec);
    } catch (error) {
      this.report(spec.title, error);
      return undefined;
    }
  }

  /** Like run(), but failures reject (for callers that report themselves, e.g. the scheduler). */
  async runOrThrow<T>(spec: JobSpec<T>): Promise<T> {
    const busy = this.running.get(spec.key);
    if (busy) {
      throw new GuildVaultError('VAULT_LOCKED', `${busy.title} is still running.`, 'Wait for it to finish, or cancel it from its notification.');
    }
    const controller = new AbortController();
    this.running.set(spec.key, { title: spec.title, controller });
    const status = this.statusBar.add(spec.title);
    const tracker = new JobProgressTracker(Date.now(), spec.phaseWeights);
    let show: (force?: boolean) => void = () => {};
    const job = new Job({
      signal: controller.signal,
      log: this.log.forEngine,
      onProgress: (event) => {
        tracker.update(event);
        show();
      },
    });
    // This job's waits only: other jobs of the same bot share the client but not its Job.
    job.events.on('rateLimited', (event) => tracker.noteRateLimit(event.waitMs));
    this.log.info(`${spec.title}: started`);
    try {
      const location = spec.background ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
      const result = await vscode.window.withProgress({ location, title: spec.title, cancellable: !spec.background }, async (progress, token) => {
        const cancel = token.onCancellationRequested(() => {
          this.log.info(`${spec.title}: cancel requested`);
          controller.abort();
        });
        let lastReport = 0;
        show = (force = false) => {
          const now = Date.now();
          if (!force && now - lastReport < REPORT_INTERVAL_MS) return;
          lastReport = now;
          const text = tracker.text(now);
          progress.report({ message: text, increment: tracker.takeIncrement() });
          status.update(text);
        };
        // Keeps the ETA and rate-limit waits moving while the engine is quiet.
        const ticker = setInterval(() => show(true), 1000);
        try {
          return await spec.work(job);
        } finally {
          clearInterval(ticker);
          cancel.dispose();
        }
      });
      this.log.info(`${spec.title}: done, ${tracker.summary()}`);
      return result;
    } catch (error) {
      const failure = job.failure(error);
      if (failure !== error) this.log.debug(`${spec.title}: error after cancel: ${describeError(error)}`);
      throw failure;
    } finally {
      status.done();
      this.running.delete(spec.key);
    }
  }

  /** Tells the user how a job ended badly, once. */
  report(title: string, error: unknown): void {
    if (isGuildVaultError(error, 'CANCELLED')) {
      this.log.info(`${title}: cancelled; what was done is kept`);
      void vscode.window.showInformationMessage(`${title}: cancelled. ${error.hint}`);
      return;
    }
    showError(this.log, `${title} failed`, error);
  }

  /** Cancels every running job (deactivation). */
  dispose(): void {
    for (const job of this.running.values()) job.controller.abort();
  }
}

/** One error notification with a way to the log; the log gets the details. */
export function showError(log: Log, context: string, error: unknown): void {
  const text = log.redactor.redact(describeError(error));
  log.error(`${context}: ${text}`);
  if (error instanceof Error && !(error instanceof GuildVaultError) && error.stack) log.debug(log.redactor.redact(error.stack));
  void vscode.window.showErrorMessage(`${context}: ${text}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show();
  });
}
