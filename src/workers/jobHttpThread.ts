import { Worker } from 'node:worker_threads';
import { HttpThread } from '../core/discord';

/** workerData.role of the job worker script when it runs as a job's HTTP thread. */
export const HTTP_THREAD_ROLE = 'http';

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
