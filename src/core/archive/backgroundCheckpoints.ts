import { Worker } from 'node:worker_threads';
import type { Vault } from '../vault';

/**
 * Moves WAL checkpoints off the event loop while a sync writes.
 *
 * In WAL mode with synchronous=NORMAL a commit never waits for the disk, but
 * the commit that crosses the auto-checkpoint threshold copies the WAL into the
 * database and fsyncs it, on the committing thread: tens to hundreds of
 * milliseconds on a busy disk, a stall of every progress update and request.
 * So during a sync the vault's connection does not checkpoint; a worker thread
 * with its own connection runs PASSIVE checkpoints (which never block the writer)
 * every second, and the usual threshold is restored at the end.
 */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 1000');
const checkpoint = () => { try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export function startBackgroundCheckpoints(vault: Vault, intervalMs = 1000): BackgroundCheckpoints {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: vault.dbPath, intervalMs } });
  } catch {
    return { stop: async () => undefined }; // no worker threads here: SQLite's own checkpoints stay on
  }
  worker.unref();
  vault.db.exec('PRAGMA wal_autocheckpoint = 0');
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.once('error', () => resolve());
        worker.postMessage('stop');
      }).finally(() => {
        if (vault.db.isOpen) vault.db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      });
      return stopped;
    },
  };
}
