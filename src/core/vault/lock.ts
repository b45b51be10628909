import * as fs from 'node:fs';
import * as os from 'node:os';
import { threadId } from 'node:worker_threads';
import { GuildVaultError } from '../errors';

/**
 * One writer per vault. The lock is a file created with O_EXCL holding the
 * owner's pid, thread and host; a lock whose process no longer exists on this
 * host was left by a killed process and is taken over without asking the user.
 * A lock left by a dead worker thread of a live process (VS Code runs jobs in
 * worker threads) is freed by that worker's host: see releaseLockOfThread.
 */
export interface LockOwner {
  pid: number;
  /** worker_threads.threadId of the holder (0: the main thread; absent in locks of older versions). */
  threadId?: number;
  hostname: string;
  acquiredAt: string;
  purpose?: string;
}

/** Told when this thread takes or lets go of a lock file (a job worker passes it on to its host). */
export type LockListener = (path: string, held: boolean) => void;
let lockListener: LockListener | undefined;

/** Reports this thread's lock files to `listener` from now on (one listener per thread). */
export function reportLocksTo(listener: LockListener | undefined): void {
  lockListener = listener;
}

export class VaultLock {
  private released = false;
  private constructor(readonly path: string) {}

  static acquire(path: string, purpose?: string): VaultLock {
    const owner: LockOwner = { pid: process.pid, threadId, hostname: os.hostname(), acquiredAt: new Date().toISOString(), purpose };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(path, 'wx');
        try {
          fs.writeSync(fd, JSON.stringify(owner));
        } finally {
          fs.closeSync(fd);
        }
        lockListener?.(path, true);
        return new VaultLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readOwner(path);
      if (holder && isAlive(holder)) {
        const what = holder.purpose ? ` (${holder.purpose})` : '';
        throw new GuildVaultError(
          'VAULT_LOCKED',
          `The vault is in use by process ${holder.pid} on ${holder.hostname}${what}, since ${holder.acquiredAt}.`,
          'Wait for that job to finish or cancel it, then try again.',
        );
      }
      // Stale (owner gone) or unreadable (owner died between create and write): take it over.
      fs.rmSync(path, { force: true });
    }
    throw new GuildVaultError('VAULT_LOCKED', `Could not take the vault lock at ${path}.`, 'Another process keeps taking it; try again.');
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (isHeldBy(readOwner(this.path), threadId)) fs.rmSync(this.path, { force: true });
    lockListener?.(this.path, false);
  }
}

/**
 * Frees a lock that thread `holderThreadId` of this process took and can no
 * longer release (its worker crashed or was terminated). Leaves any other
 * holder's lock alone. Returns whether a lock was freed.
 */
export function releaseLockOfThread(path: string, holderThreadId: number): boolean {
  if (!isHeldBy(readOwner(path), holderThreadId)) return false;
  fs.rmSync(path, { force: true });
  return true;
}

function isHeldBy(owner: LockOwner | undefined, holderThreadId: number): boolean {
  return owner?.pid === process.pid && owner.hostname === os.hostname() && (owner.threadId ?? 0) === holderThreadId;
}

export function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock from another host (a vault on a shared drive) cannot be checked: respect it.
  if (owner.hostname !== os.hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
