/**
 * Messages between a job worker and its host (src/workers/jobWorkerHost.ts,
 * src/workers/jobWorker.ts). One worker runs one request.
 */
import type { RateLimitedEvent, RetryEvent } from '../core/discord';
import { GuildVaultError, type ErrorCode } from '../core/errors';
import type { JobCounters, JobProgress, LogLevel } from '../core/job';
import type { JobKind, JobParams } from './jobKinds';

/** Which bot a job talks to Discord as. Crosses to the worker by postMessage only, never workerData, a log or an error. */
export interface BotAccess {
  token: string;
  apiBaseUrl: string;
  cdnBaseUrl?: string;
  /** Client-side global pacing (Discord's limit is 50/s per bot). */
  globalRequestsPerSecond?: number;
}

export interface JobRequest<K extends JobKind = JobKind> {
  kind: K;
  /** The vaults folder (one sub-folder per guild). */
  vaultRoot: string;
  params: JobParams<K>;
}

export type ToWorker =
  /** budget: the bot's global rate limit, shared with its other jobs' workers (GlobalPacer.sharedBudget). */
  | { type: 'start'; request: JobRequest; bot?: BotAccess; budget?: SharedArrayBuffer }
  | { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: JobProgress; counters: JobCounters }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'rateLimited'; event: RateLimitedEvent; counters: JobCounters }
  | { type: 'retry'; event: RetryEvent; counters: JobCounters }
  /** The worker took (held) or let go of a lock file: the host frees it if the worker dies holding it. */
  | { type: 'lock'; path: string; held: boolean }
  /** The worker's answer to a cancel, sent as soon as it reads it. */
  | { type: 'cancelling' }
  | { type: 'done'; result: unknown; counters: JobCounters }
  | { type: 'failed'; error: SentError; counters: JobCounters };

/** An error as it crosses threads: GuildVaultErrors keep code, message and hint; others their message and stack. */
export type SentError = { code: ErrorCode; message: string; hint: string } | { name: string; message: string; stack?: string };

export function sendableError(error: unknown): SentError {
  if (error instanceof GuildVaultError) return { code: error.code, message: error.message, hint: error.hint };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** The error again on the host's side: a GuildVaultError for a GuildVaultError, so front ends branch on its code as before. */
export function receivedError(sent: SentError): Error {
  if ('code' in sent) return new GuildVaultError(sent.code, sent.message, sent.hint);
  const error = new Error(sent.message);
  error.name = sent.name;
  if (sent.stack) error.stack = sent.stack;
  return error;
}
