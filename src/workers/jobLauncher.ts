/**
 * Starts job workers from a thread of its own, so the extension host's thread
 * never constructs a Worker while the user waits for a job to start.
 *
 * Why: `new Worker()` is synchronous on the thread that calls it, and not
 * cheap. Measured on the 2-core machine (Node 24): a process's first
 * `new Worker` costs its caller 15-30 ms, later ones 2-5 ms, and 44-65 ms
 * after the process idled for 1.5 s (as an extension host does before a user
 * starts a backup); posting the same request to a launcher cost 3.6-5.4 ms.
 * Whole job starts (JobWorkers.run) in one window: 3.9-9.3 ms before, 2.0-3.5
 * ms with the launcher.
 *
 * The launcher is a few lines of eval'd CommonJS (no bundle entry of its own).
 * It is started once, with JobWorkers (at activation), and costs about 18 MB
 * while idle. The host talks to each job worker directly, over a
 * MessageChannel whose other end the launcher hands to the worker: progress
 * never passes through the launcher. The launcher only reports the worker's
 * thread id, its errors and its exit, and terminates it when asked.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';

/** What the launcher needs to start a worker (structured-cloneable: no functions). */
export interface LaunchOptions {
  name: string;
  execArgv: string[];
  resourceLimits: ResourceLimits;
}

/** From the host to the launcher. */
type ToLauncher = { type: 'spawn'; id: number; entry: string; options: LaunchOptions; port: MessagePort } | { type: 'terminate'; id: number };

/** From the launcher to the host, about one worker. */
type FromLauncher =
  | { type: 'spawned'; id: number; threadId: number }
  | { type: 'error'; id: number; error: RelayedError }
  | { type: 'exit'; id: number; code: number };

interface RelayedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * The launcher thread's code. A spawned worker gets the host's end of the
 * channel as workerData.hostPort. Errors cross as plain objects, keeping the
 * `code` (ERR_WORKER_OUT_OF_MEMORY) that tells a crash from running out of memory.
 */
const LAUNCHER_SOURCE = `
const { parentPort, Worker } = require('node:worker_threads');
const workers = new Map();
const relayed = (error) => ({ name: String(error && error.name || 'Error'), message: String(error && error.message || error), stack: error && error.stack, code: error && error.code });
parentPort.on('message', (message) => {
  if (message.type === 'terminate') {
    const worker = workers.get(message.id);
    if (worker) worker.terminate();
    return;
  }
  let worker;
  try {
    worker = new Worker(message.entry, { ...message.options, workerData: { hostPort: message.port }, transferList: [message.port] });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id: message.id, error: relayed(error) });
    parentPort.postMessage({ type: 'exit', id: message.id, code: 1 });
    return;
  }
  workers.set(message.id, worker);
  parentPort.postMessage({ type: 'spawned', id: message.id, threadId: worker.threadId });
  worker.on('error', (error) => parentPort.postMessage({ type: 'error', id: message.id, error: relayed(error) }));
  worker.on('exit', (code) => {
    workers.delete(message.id);
    parentPort.postMessage({ type: 'exit', id: message.id, code });
  });
});
`;

/** The launcher's own heap: it holds a few small messages at a time. */
const LAUNCHER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };

/**
 * A job worker started by the launcher, with the part of Worker's surface
 * JobWorkers uses: postMessage, terminate, threadId, and the events
 * 'message', 'error' and 'exit' (code). Unlike Worker, threadId stays set after
 * the exit (the lock of a dead worker is freed by it).
 */
export class LaunchedWorker extends EventEmitter {
  /** The worker's thread id; -1 until the launcher has started it. */
  threadId = -1;
  private exited = false;
  private readonly exitWaiters: Array<() => void> = [];

  constructor(
    private readonly port: MessagePort,
    private readonly askTerminate: () => void,
  ) {
    super();
    port.on('message', (message: unknown) => this.emit('message', message));
  }

  postMessage(message: unknown): void {
    if (!this.exited) this.port.postMessage(message);
  }

  /** Ends the worker; resolves once it has exited. */
  terminate(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.askTerminate();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** From the launcher. */
  onSpawned(threadId: number): void {
    this.threadId = threadId;
  }

  onError(error: RelayedError): void {
    this.emit('error', Object.assign(new Error(error.message), { name: error.name, stack: error.stack, code: error.code }));
  }

  /**
   * The exit comes from the launcher, on another channel than the worker's
   * messages: what the worker sent before it exited (its result) may still
   * wait in the port. It is delivered first, so a finished job never reads as a dead one.
   */
  onExit(code: number): void {
    if (this.exited) return;
    for (let queued = receiveMessageOnPort(this.port); queued; queued = receiveMessageOnPort(this.port)) this.emit('message', queued.message);
    this.exited = true;
    this.port.close();
    this.emit('exit', code);
    for (const resolve of this.exitWaiters.splice(0)) resolve();
  }
}

export class JobLauncher {
  private readonly thread: Worker;
  private readonly launched = new Map<number, LaunchedWorker>();
  private nextId = 1;
  private online = false;
  private stopped = false;
  /** dispose() was called: jobs asked for from now on go to a new launcher. */
  private disposing = false;
  /** Resolves once the launcher thread runs. */
  readonly ready: Promise<void>;

  constructor() {
    this.thread = new Worker(LAUNCHER_SOURCE, { eval: true, name: 'guild-vault launcher', resourceLimits: LAUNCHER_LIMITS });
    this.ready = new Promise((resolve) => {
      this.thread.once('online', () => {
        this.online = true;
        this.holdProcess();
        resolve();
      });
      this.thread.once('exit', () => resolve());
    });
    this.thread.on('message', (message: FromLauncher) => this.onLauncherMessage(message));
    this.thread.on('error', (error) => this.endAll({ name: error.name, message: `the job launcher failed: ${error.message}` }));
    this.thread.on('exit', () => {
      this.stopped = true;
      this.endAll({ name: 'Error', message: 'the job launcher stopped' });
    });
  }

  /** Whether the launcher can start workers (false once it stops or is being disposed of: make a new one). */
  get alive(): boolean {
    return !this.stopped && !this.disposing;
  }

  /** Starts `entry` in a new worker; its messages arrive on the returned handle. */
  launch(entry: string, options: LaunchOptions): LaunchedWorker {
    const id = this.nextId++;
    const { port1, port2 } = new MessageChannel();
    const worker = new LaunchedWorker(port1, () => this.send({ type: 'terminate', id }));
    this.launched.set(id, worker);
    this.holdProcess();
    if (!this.alive) {
      queueMicrotask(() => this.end(id, { name: 'Error', message: 'the job launcher stopped' }));
    } else {
      this.thread.postMessage({ type: 'spawn', id, entry, options, port: port2 } satisfies ToLauncher, [port2]);
    }
    return worker;
  }

  /** Ends the launcher and every worker it started (their exits are reported). */
  async dispose(): Promise<void> {
    this.disposing = true;
    await Promise.all([...this.launched.values()].map((worker) => worker.terminate()));
    await this.thread.terminate();
  }

  private send(message: ToLauncher): void {
    if (!this.stopped) this.thread.postMessage(message);
  }

  private onLauncherMessage(message: FromLauncher): void {
    const worker = this.launched.get(message.id);
    if (!worker) return;
    if (message.type === 'spawned') worker.onSpawned(message.threadId);
    else if (message.type === 'error') worker.onError(message.error);
    else {
      this.launched.delete(message.id);
      this.holdProcess();
      worker.onExit(message.code);
    }
  }

  /**
   * Keeps the process alive while the launcher starts and while any of its
   * workers runs (so an exit or crash is always heard), and not when it
   * idles: an idle launcher must not keep a CLI or a test run from ending.
   */
  private holdProcess(): void {
    if (this.stopped) return;
    if (!this.online || this.launched.size > 0) this.thread.ref();
    else this.thread.unref();
  }

  /** The launcher is gone, and with it every worker it started (nested workers end with their parent). */
  private endAll(error: RelayedError): void {
    for (const id of [...this.launched.keys()]) this.end(id, error);
  }

  private end(id: number, error: RelayedError): void {
    const worker = this.launched.get(id);
    if (!worker) return;
    this.launched.delete(id);
    this.holdProcess();
    worker.onError(error);
    worker.onExit(1);
  }
}
