import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './engine/nativeEngine';
import type { Vault } from './vault';

/**
 * A background checkpointer for a vault written in bulk: SQLite's WAL
 * checkpoints (copying committed pages from `vault.db-wal` into `vault.db`)
 * run on a thread of their own instead of inside the writer's COMMIT.
 *
 * By default SQLite checkpoints in the COMMIT that takes the log past 1,000
 * pages, on the writer's thread: about half the time a 100,000-message sync
 * spent committing. Here a second connection to the same file, in a
 * worker_threads Worker, runs `PRAGMA wal_checkpoint(PASSIVE)` when nudged
 * after a commit. PASSIVE never waits for and never blocks the writer: it
 * copies what no reader still needs and leaves the rest for the next one.
 *
 * The writer's own autocheckpoint stays on, raised to BACKSTOP_PAGES, so the
 * log stays bounded if the background thread falls behind or dies: SQLite can
 * only start the log over when a checkpoint completed and the writer begins
 * its next transaction. A checkpoint changes nothing about durability (WAL,
 * synchronous=NORMAL): it copies committed frames, fsyncing the log first.
 */
export interface WalCheckpointer {
  /** Asks for a checkpoint of what is committed so far. At most one runs at a time and one more waits: nudges coalesce. */
  nudge(): void;
  /** Ends the thread and its connection and gives the writer back its own checkpoints. Safe to call twice, and after the thread died. */
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /**
   * Told once if the background thread fails (cannot open the file, crashed).
   * Nothing is lost: the writer goes back to checkpointing in its commits.
   */
  onFailure?: (reason: string) => void;
}

/** The writer's autocheckpoint while the background thread runs: it checkpoints itself only past this many pages in the log. */
export const BACKSTOP_PAGES = 4096;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts a checkpointer for `vault`, tied to its lifetime (closing the vault
 * stops it), or returns undefined where there is nothing to checkpoint: a
 * vault opened to read, and the WASM engine (its database lives in memory
 * and is written whole; no WAL).
 */
export function startWalCheckpointer(vault: Vault, options: WalCheckpointerOptions = {}): WalCheckpointer | undefined {
  if (vault.mode !== 'write' || vault.db.engine !== 'native' || !vault.db.isOpen) return undefined;
  const mode = vault.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
  if (mode.journal_mode.toLowerCase() !== 'wal') return undefined;
  try {
    return new BackgroundCheckpointer(vault, options);
  } catch (error) {
    // No thread (a host that forbids them, out of resources): the writer keeps its own checkpoints.
    options.onFailure?.(`background WAL checkpoints did not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * The thread's code: CommonJS that only requires Node built-ins, run with
 * `eval: true`. A file of its own would need an entry in every esbuild bundle
 * (dist/jobWorker.js, dist/cli.js) and a path that differs between them and
 * the sources; a string runs the same from all of them. That is also why eval
 * is safe here: the code is this constant, self-contained (node:sqlite and
 * node:worker_threads only), and the file name reaches it as data
 * (workerData), never as code. The busy timeout covers the moments a
 * connection waits for the log's index (PASSIVE itself never waits).
 *
 * The file is opened as a URI with mode=rw: a vault moved or deleted meanwhile
 * fails to open instead of being created empty. Errors are not caught: the
 * thread dies and the writer sees why (its 'error' event).
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.uri);
db.exec('PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage(checkpoint.get());
});
`;

class BackgroundCheckpointer implements WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly writerPages: number;
  private readonly untie: () => void;
  private running = false;
  private queued = false;
  private state: 'running' | 'stopping' | 'dead' = 'running';
  private stopped?: Promise<void>;

  constructor(
    private readonly vault: Vault,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.writerPages = Number((vault.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint);
    this.worker = new Worker(THREAD_CODE, { eval: true, name: 'guild-vault checkpoints', workerData: { uri: `${pathToFileURL(vault.dbPath).href}?mode=rw` } });
    // A forgotten stop() must not keep a CLI alive; stop() holds it while it waits.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      if (this.state === 'running') this.fail(`its thread exited (code ${code})`);
      this.state = 'dead';
      resolve();
    }));
    this.worker.on('error', (error) => this.fail(error instanceof Error ? error.message : String(error)));
    this.worker.on('message', () => this.checkpointed());
    this.vault.db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    // Closing the vault ends the thread too (its connection must not outlive the writer's by more than a moment).
    this.untie = vault.onClose(() => this.halt());
  }

  nudge(): void {
    if (this.state !== 'running') return;
    if (this.running) {
      this.queued = true;
      return;
    }
    this.running = true;
    this.worker.postMessage('checkpoint');
  }

  stop(): Promise<void> {
    this.stopped ??= this.stopAndWait();
    return this.stopped;
  }

  private async stopAndWait(): Promise<void> {
    this.untie();
    this.halt();
    this.worker.ref();
    // The thread finishes the checkpoint it runs, closes its connection and ends; a stuck one is ended for it.
    const timer = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Synchronous, so Vault.close() can run it before the writer's connection closes. */
  private halt(): void {
    if (this.state === 'running') {
      this.state = 'stopping';
      this.worker.postMessage('stop');
    }
    this.restoreWriter();
  }

  private checkpointed(): void {
    this.running = false;
    if (!this.queued) return;
    this.queued = false;
    this.nudge();
  }

  private fail(reason: string): void {
    if (this.state === 'dead') return;
    const wasRunning = this.state === 'running';
    this.state = 'dead';
    this.restoreWriter();
    if (wasRunning) this.options.onFailure?.(`background WAL checkpoints stopped: ${reason}; the writer checkpoints by itself`);
  }

  private restoreWriter(): void {
    if (this.vault.db.isOpen) this.vault.db.exec(`PRAGMA wal_autocheckpoint = ${this.writerPages}`);
  }
}
