/**
 * How a long job tells its front end what it is doing. The engine calls
 * `onProgress` often (cheaply); front ends throttle what they display.
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
  requests?: number;
  /** Time left as the engine estimates it (it knows rates the front end cannot see); else the front end extrapolates. */
  etaMs?: number;
  /** Set while the job waits on a rate limit. */
  rateLimitWaitMs?: number;
}

export type ProgressListener = (progress: JobProgress) => void;

/** Options every long engine operation takes. */
export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Diagnostic log lines (never containing the token). */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}
