import * as vscode from 'vscode';
import { describeError, GuildVaultError, isGuildVaultError, Job, JobProgressTracker, type PhaseWeights } from '../engine';
import type { Log } from '../log/log';
import { nextStepFor } from '../log/nextStep';
import { jobProgressLine, jobStatusText, jobSummaryText } from '../../presentation/jobProgressText';
import { errorNotificationText, shownText } from '../text/shownText';
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
  /** What the server's row says while it runs: "backing up" (then ": channel 13 of 44"). */
  activity?: string;
  /** Offered on the "cancelled" notification: runs the job again, which continues where it stopped. */
  resume?: () => unknown;
  /** The work, given its Job: cancel, progress and log are wired to VS Code; pass it to every engine call. */
  work(job: Job): Promise<T>;
}

export interface JobChange {
  key: string;
  /** 'phase': the job moved to another phase (its row says so at once); 'progress': it got further in one. */
  change: 'started' | 'phase' | 'progress' | 'ended';
}

/** How often the notification text is refreshed: the engine reports far more often. */
const REPORT_INTERVAL_MS = 250;

/**
 * Runs engine jobs with VS Code's progress UI: a cancellable notification
 * (cancel aborts the job's signal; the engine stops and keeps what it did),
 * the status bar item, the log. Errors become one clear message.
 */
export class JobRunner implements vscode.Disposable {
  private readonly running = new Map<string, { title: string; activity?: string; controller: AbortController; tracker: JobProgressTracker }>();
  private readonly changed = new vscode.EventEmitter<JobChange>();
  /** Fires when a job starts, ends, or its status line changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Log,
    private readonly statusBar: JobStatusBar,
  ) {}

  isBusy(key: string): boolean {
    return this.running.has(key);
  }

  /** Whether any job runs (the guildVault.jobRunning context key). */
  get anyRunning(): boolean {
    return this.running.size > 0;
  }

  /** "backing up: channel 13 of 44", "backing up: media: 248 files left" for the job on `key`, if one runs. */
  status(key: string): string | undefined {
    const job = this.running.get(key);
    if (!job) return undefined;
    // The same words as the notification's (jobProgressLine), so the row and the toast agree on the phase.
    const status = shownText(jobStatusText(job.tracker.latest));
    return job.activity ? `${job.activity}: ${status}` : status;
  }

  /** Cancels the job on `key` (as its notification's Cancel does). Returns whether one ran. */
  cancel(key: string): boolean {
    const job = this.running.get(key);
    if (!job) return false;
    this.log.info(`${job.title}: cancel requested`);
    job.controller.abort();
    return true;
  }

  /**
   * Runs the job. Resolves with its result, or undefined if it failed or was
   * cancelled (the user has been told). Never rejects.
   */
  async run<T>(spec: JobSpec<T>): Promise<T | undefined> {
    try {
      return await this.runOrThrow(spec);
    } catch (error) {
      this.report(spec.title, error, spec.resume);
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
    const tracker = new JobProgressTracker(Date.now(), spec.phaseWeights);
    this.running.set(spec.key, { title: spec.title, activity: spec.activity, controller, tracker });
    this.changed.fire({ key: spec.key, change: 'started' });
    // The title names the server, the line channels and roles: Discord's names, shown as text.
    const shownTitle = shownText(spec.title);
    const status = this.statusBar.add(shownTitle);
    let lastStatus = '';
    let show: (force?: boolean, phaseChanged?: boolean) => void = () => {};
    const job = new Job({
      signal: controller.signal,
      log: this.log.forEngine,
      onProgress: (event) => {
        // Another phase is shown at once, in the notification and the row alike.
        const phaseChanged = tracker.update(event);
        show(phaseChanged, phaseChanged);
      },
    });
    // This job's waits only: other jobs of the same bot share the client but not its Job.
    job.events.on('rateLimited', (event) => tracker.noteRateLimit(event.waitMs));
    this.log.info(`${spec.title}: started`);
    try {
      const location = spec.background ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
      const result = await vscode.window.withProgress({ location, title: shownTitle, cancellable: !spec.background }, async (progress, token) => {
        const cancel = token.onCancellationRequested(() => {
          this.log.info(`${spec.title}: cancel requested`);
          controller.abort();
        });
        let lastReport = 0;
        show = (force = false, phaseChanged = false) => {
          const now = Date.now();
          if (!force && now - lastReport < REPORT_INTERVAL_MS) return;
          lastReport = now;
          const text = shownText(jobProgressLine(tracker, now));
          progress.report({ message: text, increment: tracker.takeIncrement() });
          status.update(text);
          // The tree row shows the start of that line (jobStatusText); it changes far less often.
          const short = jobStatusText(tracker.latest);
          if (short !== lastStatus) {
            lastStatus = short;
            this.changed.fire({ key: spec.key, change: phaseChanged ? 'phase' : 'progress' });
          }
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
      this.log.info(`${spec.title}: done, ${jobSummaryText(tracker)}`);
      return result;
    } catch (error) {
      const failure = job.failure(error);
      if (failure !== error) this.log.debug(`${spec.title}: error after cancel: ${describeError(error)}`);
      throw failure;
    } finally {
      status.done();
      this.running.delete(spec.key);
      this.changed.fire({ key: spec.key, change: 'ended' });
    }
  }

  /** Tells the user how a job ended badly, once. */
  report(title: string, error: unknown, resume?: () => unknown): void {
    if (isGuildVaultError(error, 'CANCELLED')) {
      this.log.info(`${title}: cancelled; what was done is kept`);
      const again = 'Resume';
      // The engine's hint says what was kept; Resume (where offered) continues.
      const text = `Guild Vault: ${title[0]!.toLowerCase()}${title.slice(1)}: cancelled. ${error.hint}`;
      void vscode.window.showInformationMessage(text, ...(resume ? [again] : [])).then((choice) => {
        if (choice === again) void resume?.();
      });
      return;
    }
    showError(this.log, `${title} failed`, error);
  }

  /** Cancels every running job (deactivation). */
  dispose(): void {
    for (const job of this.running.values()) job.controller.abort();
    this.changed.dispose();
  }
}

/** One error notification with a way to the log; the log gets the details. */
export function showError(log: Log, context: string, error: unknown): void {
  const text = log.redactor.redact(describeError(error));
  log.error(`${context}: ${text}`);
  if (error instanceof Error && !(error instanceof GuildVaultError) && error.stack) log.debug(log.redactor.redact(error.stack));
  const step = nextStepFor(error);
  const actions = step ? [step.title, 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(errorNotificationText(context, text), ...actions).then((choice) => {
    if (choice === 'Show Log') log.show();
    else if (step && choice === step.title) void vscode.commands.executeCommand(step.command, ...(step.args ?? []));
  });
}
