import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { HttpThread } from '../core/discord';

/** workerData.role of the job worker script when it runs as a job's HTTP thread. */
export const HTTP_THREAD_ROLE = 'http';

/**
 * Cores a machine needs before jobs read answers on a thread of their own. On
 * 2 cores (measured on the benchmark machine, whose second core also serves
 * the emulator: `npm run bench -- archive`) the thread took 0.3 to 0.9 s off
 * the job's thread per 100,000 messages but cost 1.5 to 2 s of CPU itself and
 * about 50 MB, and the sync was no faster: both cores were already full.
 */
export const HTTP_THREAD_MIN_CORES = 4;

/** Whether this machine has the cores for an HTTP thread beside each job. */
export function wantsHttpThread(): boolean {
  return os.availableParallelism() >= HTTP_THREAD_MIN_CORES;
}

/** The HTTP thread's heap: it holds the answers under way, a few MB at most each. */
const HTTP_THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

/**
 * Starts the job worker script again as a job's HTTP thread (see HttpThread):
 * one script to bundle, ship and find. `script`: the job worker's own file.
 */
export function startHttpThread(script: string): HttpThread {
  const worker = new Worker(script, {
    name: 'guild-vault http',
    workerData: { role: HTTP_THREAD_ROLE },
    execArgv: scriptExecArgv(script),
    resourceLimits: HTTP_THREAD_LIMITS,
  });
  return new HttpThread(worker);
}

/** From source (tests, benchmarks) a worker compiles TypeScript like its host does. */
export function scriptExecArgv(script: string): string[] {
  return script.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [];
}
