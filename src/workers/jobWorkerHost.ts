/**
 * Runs engine jobs in worker threads so the thread that asks for them (VS
 * Code's extension host) only relays messages: each request gets a fresh
 * worker (src/workers/jobWorker.ts) with its own vault connection and Discord
 * client, started by a launcher thread so this thread never pays for
 * constructing one (jobLauncher.ts). With `spareIdleMs` (VS Code) the next
 * job's worker is started ahead (when a job ends, and when the view is shown),
 * so a burst of UI reads does not wait for a worker's start each time. Cancel reaches the worker as a message;
 * a worker that dies (a crash, out of memory, terminated) ends its job as a
 * WORKER_DIED failure with the reason, and any vault lock it held is freed,
 * so the next job just starts.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { GlobalPacer } from '../core/discord/globalPacer';
import { cancelled, GuildVaultError } from '../core/errors';
import type { Job } from '../core/job';
import { currentSelection, LOCK_FILE, releaseLockOfThread } from '../core/vault';
import { scriptExecArgv } from './jobHttpThread';
import { JobLauncher, type LaunchedWorker } from './jobLauncher';
import type { JobKind, JobResult } from './jobKinds';
import { receivedError, type BotAccess, type FromWorker, type JobRequest, type ToWorker } from './protocol';
import { isSnowflake } from '../core/discord/snowflake';

export interface JobWorkersOptions {
  /** The worker's script; default: jobWorker.js beside the bundle (jobWorker.ts when run from source). */
  entry?: string;
  /** Memory limits of each worker (default: 2 GB of old generation, far above a backup's need). */
  resourceLimits?: ResourceLimits;
  /** After a cancel, how long a worker may take to stop before it is terminated (default 10 s). */
  cancelGraceMs?: number;
  /**
   * Start the next job's worker ahead (when a job ends, and on startAhead())
   * and keep it this long (default: none). See SPARE_WORKER_IDLE_MS.
   */
  spareIdleMs?: number;
}

/**
 * How long VS Code keeps a worker started ahead for the next job (after a job
 * ends, and when the Guild Vault view is shown). The reads the UI runs as jobs
 * (a transcript, a channel's months, a search) come in bursts of clicks, and a
 * fresh worker costs each of them its start: 300 to 430 ms on
 * the 2-core machine (loading the 2.4 MB bundle), against 3 to 23 ms for the
 * query itself. A spare worker is a fresh one that has not received its job
 * yet, so each job still gets a worker of its own; it costs about 35 MB while it
 * waits, for a minute at most.
 */
export const SPARE_WORKER_IDLE_MS = 60_000;

/**
 * Each job worker's heap. The old generation may grow far above a backup's
 * need. The young generation is bounded: V8 sizes it by the allocation rate,
 * and a long job allocating steadily (a migration: about 50 KB of short-lived
 * objects per message sent) has it grow to V8's default ceiling, two 64 MB
 * semi-spaces on a 64-bit machine, which stay resident for the whole job
 * although the live heap is about 25 MB. 48 MB (16 MB semi-spaces) keeps
 * collections cheap (a few MB survive each) at a third of the memory.
 */
export const JOB_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 48 };
const DEFAULT_LIMITS = JOB_WORKER_LIMITS;

export class JobWorkers {
  private readonly workers = new Set<LaunchedWorker>();
  /** Starts the workers, so this thread never constructs one (see jobLauncher.ts); a new one after dispose. */
  private launcher: JobLauncher;
  /** Each bot's global rate limit, shared by the workers of its jobs; keyed by a hash, not the token. */
  private readonly budgets = new Map<string, SharedArrayBuffer>();
  private readonly entry: string;
  /** The next job's worker, started ahead (startAhead), and when it is ended unused; cleared when it exits. */
  private spare: { worker: LaunchedWorker; expiry: NodeJS.Timeout } | undefined;

  constructor(private readonly options: JobWorkersOptions = {}) {
    this.entry = options.entry ?? defaultEntry();
    this.launcher = new JobLauncher();
  }

  /** Resolves once jobs can start without this thread starting a thread (the launcher runs). */
  get ready(): Promise<void> {
    return this.launcher.ready;
  }

  /** Jobs running now. */
  get running(): number {
    return this.workers.size;
  }

  /** Workers started ahead that wait for a job: 0 or 1 (see spareIdleMs). */
  get waiting(): number {
    return this.spare ? 1 : 0;
  }

  /**
   * Runs one request in a fresh worker, as `job`: the worker's progress, log
   * lines, rate-limit waits and counters arrive on it, and its signal cancels
   * the worker. Resolves with the job's result; rejects with the job's error
   * (a GuildVaultError keeps its code and hint).
   */
  run<K extends JobKind>(request: JobRequest<K>, bot: BotAccess | undefined, job: Job): Promise<JobResult<K>> {
    job.throwIfStopped();
    const worker = this.takeSpare() ?? this.launch(`guild-vault ${request.kind}`);
    this.workers.add(worker);
    const locks = new Set<string>(guessedLocks(request));
    return new Promise<JobResult<K>>((resolve, reject) => {
      let settled = false;
      let crash: Error | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        job.signal.removeEventListener('abort', onAbort);
        clearTimeout(graceTimer);
        this.workers.delete(worker);
        finish();
        void worker.terminate();
        this.startAhead();
      };
      const onAbort = () => {
        worker.postMessage({ type: 'cancel' } satisfies ToWorker);
        graceTimer = setTimeout(() => {
          job.log('warn', `${request.kind}: the worker did not stop within ${this.grace / 1000} s of the cancel; ending it`);
          void worker.terminate();
        }, this.grace);
      };
      job.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'progress':
            Object.assign(job.counters, message.counters);
            job.progress(message.progress);
            break;
          case 'log':
            job.log(message.level, message.message);
            break;
          case 'rateLimited':
          case 'retry':
            Object.assign(job.counters, message.counters);
            job.events.emit(message.type, message.event as never);
            break;
          case 'lock':
            if (message.held) locks.add(message.path);
            break;
          case 'cancelling':
            job.log('debug', `${request.kind}: the worker received the cancel`);
            break;
          case 'done':
            Object.assign(job.counters, message.counters);
            settle(() => resolve(message.result as JobResult<K>));
            break;
          case 'failed':
            Object.assign(job.counters, message.counters);
            settle(() => reject(receivedError(message.error)));
            break;
        }
      });
      worker.on('error', (error) => (crash = error));
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        if (settled) return;
        for (const lock of locks) {
          if (releaseLockOfThread(lock, worker.threadId)) job.log('info', `${request.kind}: freed the vault lock its stopped worker held (${lock})`);
        }
        settle(() => reject(job.cancelled ? cancelled(crash) : workerDied(request.kind, code, crash, this.limits)));
      });
      // The token goes by message, never workerData: nothing logs or persists it on the way.
      worker.postMessage({ type: 'start', request, bot, budget: bot && this.budgetOf(bot), engine: currentSelection()?.engine.name } satisfies ToWorker);
    });
  }

  /** Ends every running worker and the launcher (deactivation). Their jobs fail; their locks are freed. A later run starts a new launcher. */
  async dispose(): Promise<void> {
    // Its workers are this object's; a run() called meanwhile starts, and keeps, a new launcher.
    await this.launcher.dispose();
  }

  private launch(name: string): LaunchedWorker {
    if (!this.launcher.alive) this.launcher = new JobLauncher();
    return this.launcher.launch(this.entry, { name, execArgv: scriptExecArgv(this.entry), resourceLimits: this.limits });
  }

  /** The worker started ahead, unless its launcher is being disposed of (one that exited is no longer the spare). */
  private takeSpare(): LaunchedWorker | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return undefined;
    clearTimeout(spare.expiry);
    if (this.launcher.alive) return spare.worker;
    void spare.worker.terminate();
    return undefined;
  }

  /**
   * Starts the next job's worker now, while nobody waits for it (with
   * spareIdleMs; otherwise nothing): when a job ends, and when the UI expects
   * a click (the Guild Vault view is shown). Only under a running launcher: a
   * job that ends after dispose() must not start a new one.
   */
  startAhead(): void {
    const idleMs = this.options.spareIdleMs;
    if (!idleMs || this.spare || !this.launcher.alive) return;
    const worker = this.launch('guild-vault job');
    const expiry = setTimeout(() => {
      if (this.spare?.worker === worker) this.spare = undefined;
      void worker.terminate();
    }, idleMs);
    expiry.unref();
    // A spare that fails while it waits is simply not used (the next job starts a fresh worker).
    worker.on('error', () => {});
    worker.once('exit', () => {
      if (this.spare?.worker !== worker) return;
      clearTimeout(expiry);
      this.spare = undefined;
    });
    this.spare = { worker, expiry };
  }

  private budgetOf(bot: BotAccess): SharedArrayBuffer {
    const perSecond = bot.globalRequestsPerSecond ?? 50;
    const key = createHash('sha256').update(`${bot.apiBaseUrl}\n${perSecond}\n${bot.token}`).digest('hex');
    let budget = this.budgets.get(key);
    if (!budget) this.budgets.set(key, (budget = GlobalPacer.sharedBudget(perSecond)));
    return budget;
  }

  private get limits(): ResourceLimits {
    return this.options.resourceLimits ?? DEFAULT_LIMITS;
  }

  private get grace(): number {
    return this.options.cancelGraceMs ?? 10_000;
  }
}

/** The worker script beside this module: dist/jobWorker.js in the bundles, src/workers/jobWorker.ts from source. */
function defaultEntry(): string {
  const fromSource = __filename.endsWith('.ts');
  const entry = path.join(__dirname, fromSource ? 'jobWorker.ts' : 'jobWorker.js');
  if (!fs.existsSync(entry)) throw new GuildVaultError('UNSUPPORTED_RUNTIME', `The job worker script is missing (${entry}).`, 'Reinstall the extension.');
  return entry;
}

/** The lock of the request's guild vault: freed after a crash even if the worker died before it could say it held it. */
function guessedLocks(request: JobRequest): string[] {
  const guildId = (request.params as { guildId?: unknown }).guildId;
  return isSnowflake(guildId) ? [path.join(request.vaultRoot, guildId, LOCK_FILE)] : [];
}

function workerDied(kind: string, exitCode: number, crash: Error | undefined, limits: ResourceLimits): GuildVaultError {
  const outOfMemory = (crash as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
  const reason = outOfMemory
    ? `it ran out of memory (limit ${limits.maxOldGenerationSizeMb} MB)`
    : crash
      ? `it crashed: ${crash.message}`
      : `it stopped unexpectedly (exit code ${exitCode})`;
  return new GuildVaultError('WORKER_DIED', `The ${kind} job failed: ${reason}.`, 'What it finished before is kept in the vault; run the job again to continue.');
}
