/**
 * Entry of a job worker (bundled to dist/jobWorker.js): runs one request
 * (protocol.ts) with a vault connection and a Discord client of its own, and
 * sends its progress, log lines, rate-limit waits and result to the host.
 * Nothing here runs on the extension host's thread.
 *
 * The same script is the job's HTTP thread (workerData.role 'http'), which
 * reads Discord's answers beside the job's thread (see HttpThread): one script
 * to bundle, ship and find.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DiscordClient, serveExchanges, type HttpThread } from '../core/discord';
import { GuildVaultError } from '../core/errors';
import { Job, type JobProgress } from '../core/job';
import { reportLocksTo, selectEngine, VaultStore, type EngineName } from '../core/vault';
import { HTTP_THREAD_ROLE, startHttpThread, wantsHttpThread } from './jobHttpThread';
import { JOB_KINDS, type JobContext } from './jobKinds';
import { sendableError, type BotAccess, type FromWorker, type JobRequest, type ToWorker } from './protocol';

/** Progress is sent at most this often (a phase change at once): the host redraws every 250 ms. */
const PROGRESS_INTERVAL_MS = 50;

/** The host's end: a channel from the launcher (jobLauncher.ts) for a job; the job's own thread for its HTTP thread. */
const port = (workerData as { hostPort?: MessagePort } | null)?.hostPort ?? parentPort;
if (!port) throw new Error('jobWorker.ts runs as a worker thread (see JobWorkers).');
const send = (message: FromWorker) => port.postMessage(message);
const stop = new AbortController();
/** The job's HTTP thread, started with its Discord client where the machine has the cores (wantsHttpThread). */
let httpThread: HttpThread | undefined;

if ((workerData as { role?: string } | null)?.role === HTTP_THREAD_ROLE) serveExchanges(port);
else port.on('message', onHostMessage);

function onHostMessage(message: ToWorker): void {
  if (message.type === 'cancel') {
    send({ type: 'cancelling' });
    stop.abort();
  } else if (message.type === 'start') {
    void run(message.request, message.bot, message.budget, message.engine);
  }
}

async function run(request: JobRequest, bot: BotAccess | undefined, budget: SharedArrayBuffer | undefined, engine: EngineName | undefined): Promise<void> {
  reportLocksTo((path, held) => send({ type: 'lock', path, held }));
  const progress = new ProgressRelay((latest) => send({ type: 'progress', progress: latest, counters: { ...job.counters } }));
  const job = new Job({ signal: stop.signal, onProgress: (event) => progress.push(event), log: (level, message) => send({ type: 'log', level, message }) });
  job.events.on('rateLimited', (event) => send({ type: 'rateLimited', event, counters: { ...job.counters } }));
  job.events.on('retry', (event) => {
    send({ type: 'retry', event, counters: { ...job.counters } });
    job.log('info', `retrying ${event.method} ${event.route} (attempt ${event.attempt}: ${event.reason})`);
  });
  let client: DiscordClient | undefined;
  const context: JobContext = {
    store: new VaultStore(request.vaultRoot),
    job,
    client: () => (client ??= clientFor(bot, budget)),
  };
  let outcome: FromWorker;
  try {
    // The host's engine: a WASM host has no node:sqlite in its workers either.
    if (engine) await selectEngine(engine);
    const work = JOB_KINDS[request.kind] as ((context: JobContext, params: unknown) => Promise<unknown>) | undefined;
    if (!work) throw new GuildVaultError('INVALID_ARGUMENT', `There is no job of kind "${String(request.kind)}".`, 'This is a bug in Guild Vault; please report it.');
    const result = await work(context, request.params);
    outcome = { type: 'done', result, counters: { ...job.counters } };
  } catch (error) {
    outcome = { type: 'failed', error: sendableError(job.failure(error)), counters: { ...job.counters } };
  }
  progress.flush();
  client?.dispose();
  void httpThread?.close();
  // Last: the host ends this worker when it reads the outcome.
  send(outcome);
}

function clientFor(bot: BotAccess | undefined, budget: SharedArrayBuffer | undefined): DiscordClient {
  if (!bot) throw new GuildVaultError('INVALID_TOKEN', 'This job talks to Discord but was started without a bot.', 'This is a bug in Guild Vault; please report it.');
  if (wantsHttpThread()) httpThread = startHttpThread(__filename);
  return new DiscordClient({ ...bot, sharedGlobalBudget: budget, exchange: httpThread?.exchange });
}

/** Sends the newest progress at most every PROGRESS_INTERVAL_MS, and a new phase at once. */
class ProgressRelay {
  private pending: JobProgress | undefined;
  private lastPhase: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deliver: (progress: JobProgress) => void) {}

  push(progress: JobProgress): void {
    this.pending = progress;
    if (progress.phase !== this.lastPhase) {
      this.lastPhase = progress.phase;
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), PROGRESS_INTERVAL_MS);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending) this.deliver(this.pending);
    this.pending = undefined;
  }
}
