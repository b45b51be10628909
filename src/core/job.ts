import { EventEmitter } from 'node:events';
import type { DiscordClientEmitter } from './discord/events';
import { cancelled, GuildVaultError, isGuildVaultError } from './errors';

/**
 * How a long job tells its front end what it is doing. The engine reports
 * often (cheaply); front ends throttle what they display.
 */
export interface JobProgress {
  /** Short phase name, e.g. "snapshot", "discover", "messages", "media". */
  phase: string;
  /** One human line: "#general (3 of 41)". */
  message?: string;
  /** Units done and total for the current phase, when known (e.g. channels). */
  done?: number;
  total?: number;
  /** Running counters for the whole job. */
  messages?: number;
  bytes?: number;
  /** The job's requests and rate-limit waiting so far (job.counters; Job.progress fills them in). */
  requests?: number;
  rateLimitWaitMs?: number;
}

export type ProgressListener = (progress: JobProgress) => void;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Diagnostic log lines (never containing the token). */
export type JobLog = (level: LogLevel, message: string) => void;

/** What a front end hands a job: the user's cancel, where progress and log lines go. */
export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  log?: JobLog;
}

/** What one job cost on Discord's side; counted by the job's view of the client (DiscordClient.forJob). */
export interface JobCounters {
  /** HTTP attempts: API calls and downloads, each retry and each 429 included. */
  requests: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  retries: number;
}

/**
 * One run of a long engine operation (a backup, a restore, a snapshot, a
 * verify): its cancel signal, its progress and log, what it cost, and the rule
 * for which errors end it. Every engine operation takes one; a front end makes
 * it, keeps it to cancel or read its counters, and hands the same Job to every
 * step of one piece of work so they share one signal and one tally.
 */
export class Job {
  /** Aborted when the user cancels, or when the job stops itself after a fatal error (see stop). */
  readonly signal: AbortSignal;
  /** Shared by a job and its parts. */
  readonly counters: JobCounters;
  /** This job's requests, rate-limit waits and retries (raised by its view of the client, DiscordClient.forJob); shared with its parts. */
  readonly events: DiscordClientEmitter;
  private readonly stopper = new AbortController();
  private readonly userSignal: AbortSignal | undefined;

  constructor(
    private readonly options: JobOptions = {},
    parent?: Job,
  ) {
    this.userSignal = parent ? parent.userSignal : options.signal;
    const outer = parent?.signal ?? options.signal;
    this.signal = outer ? AbortSignal.any([outer, this.stopper.signal]) : this.stopper.signal;
    this.counters = parent?.counters ?? { requests: 0, rateLimitWaits: 0, rateLimitWaitMs: 0, retries: 0 };
    this.events = parent?.events ?? new EventEmitter();
  }

  /**
   * A part of this job (the channels of an archive, the downloads of a
   * snapshot): the same progress, log and counters, and a signal of its own,
   * so the part can stop its workers after a fatal error without cancelling the rest.
   */
  part(): Job {
    return new Job(this.options, this);
  }

  /** True once the user cancelled (not when the job only stopped itself). */
  get cancelled(): boolean {
    return this.userSignal?.aborted === true;
  }

  /** Stops this job's (or part's) workers: its signal aborts. */
  stop(): void {
    this.stopper.abort();
  }

  /** Throws the CANCELLED error if the signal has aborted: call between steps. */
  throwIfStopped(): void {
    if (this.signal.aborted) throw cancelled();
  }

  progress(progress: JobProgress): void {
    this.options.onProgress?.({ requests: this.counters.requests, rateLimitWaitMs: this.counters.rateLimitWaitMs, ...progress });
  }

  log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }

  /**
   * The error this job ends with, given the one that surfaced: once the user
   * cancelled, that is CANCELLED whatever error the abort caused in flight (a
   * closed stream, an interrupted write); otherwise the error itself.
   */
  failure(error: unknown): unknown {
    if (this.cancelled && !isGuildVaultError(error, 'CANCELLED')) return cancelled(error);
    return error;
  }
}

/**
 * The one rule for which errors end a whole job, rather than the one channel,
 * restore action or snapshot part that hit them: a cancel; a token Discord
 * rejects or an API that cannot be reached (every further request would fail
 * the same way); a vault that cannot be written; anything unexpected (not a
 * GuildVaultError: a bug, a full disk), where going on would hide it.
 */
export function endsJob(error: unknown): boolean {
  if (!(error instanceof GuildVaultError)) return true;
  return ENDS_JOB.has(error.code);
}

const ENDS_JOB = new Set<GuildVaultError['code']>(['CANCELLED', 'INVALID_TOKEN', 'API_UNREACHABLE', 'VAULT_LOCKED', 'VAULT_CORRUPT', 'VAULT_NOT_WRITABLE']);
