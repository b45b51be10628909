import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { threadId } from 'node:worker_threads';
import { GuildVaultError } from '../errors';

/**
 * One writer per vault. The lock is a file holding the owner's pid and host.
 * Taking it is one atomic step: the owner is written to a temporary file,
 * which is then hard-linked into place (link fails if the lock exists), so
 * the lock never exists without its owner in it, and two writers racing for
 * it cannot both win. A lock whose process no longer exists on this host was
 * left by a killed process and is taken over without asking the user; the
 * takeover itself is guarded, so two processes finding the same stale lock
 * do not remove each other's fresh one. A lock left by a dead worker thread
 * of a live process (VS Code runs jobs in worker threads) is freed by that
 * worker's host: see releaseLockOfThread.
 */
export interface LockOwner {
  pid: number;
  /** worker_threads.threadId of the holder (0: the main thread; absent in locks of older versions). */
  threadId?: number;
  hostname: string;
  acquiredAt: string;
  purpose?: string;
}

/**
 * A lock file that cannot be read is young when a writer of an older
 * version (create, then write) may still be writing its owner: it is held.
 * Older, it is debris of a crash.
 */
const UNREADABLE_LOCK_GRACE_MS = 30_000;
/** A takeover guard older than this was left by a process that died mid-takeover. */
const TAKEOVER_GUARD_STALE_MS = 10_000;

/** What `inspectLock` finds: no lock, a live owner, a stale one, or an unreadable file. */
export type LockState =
  | { state: 'free' }
  | { state: 'held'; owner: LockOwner }
  | { state: 'stale'; owner: LockOwner }
  | { state: 'unreadable'; ageMs: number; young: boolean };

/** Told when this thread takes or lets go of a lock file (a job worker passes it on to its host). */
export type LockListener = (path: string, held: boolean) => void;
let lockListener: LockListener | undefined;

/** Reports this thread's lock files to `listener` from now on (one listener per thread). */
export function reportLocksTo(listener: LockListener | undefined): void {
  lockListener = listener;
}

export class VaultLock {
  private released = false;
  private constructor(
    readonly path: string,
    private readonly owner: LockOwner,
  ) {}

  static acquire(path: string, purpose?: string): VaultLock {
    const owner: LockOwner = { pid: process.pid, threadId, hostname: os.hostname(), acquiredAt: new Date().toISOString(), purpose };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (linkOwner(path, owner)) {
        lockListener?.(path, true);
        return new VaultLock(path, owner);
      }
      const found = inspectLockFile(path);
      if (found.kind === 'free') continue; // released between our link and our look: try again
      if (found.kind === 'held') throw lockedError(found.owner);
      if (found.kind === 'unreadable' && found.ageMs < UNREADABLE_LOCK_GRACE_MS) {
        throw new GuildVaultError('VAULT_LOCKED', 'Another process is taking the vault lock right now.', 'Wait for that job to finish or cancel it, then try again.');
      }
      // Stale (owner gone) or long unreadable: take it over, unless someone else does first.
      removeStaleLock(path, found.fingerprint);
    }
    throw new GuildVaultError('VAULT_LOCKED', `Could not take the vault lock at ${path}.`, 'Another process keeps taking it; try again.');
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const holder = readOwner(this.path);
    // Only our own lock: after a forced unlock another writer may hold it now.
    if (isHeldBy(holder, threadId) && holder?.acquiredAt === this.owner.acquiredAt) fs.rmSync(this.path, { force: true });
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

/** The lock at `path` as a user sees it (for `guild-vault unlock`). */
export function inspectLock(path: string): LockState {
  const found = inspectLockFile(path);
  switch (found.kind) {
    case 'free':
      return { state: 'free' };
    case 'held':
      return { state: 'held', owner: found.owner };
    case 'stale':
      return { state: 'stale', owner: found.owner };
    default:
      return { state: 'unreadable', ageMs: found.ageMs, young: found.ageMs < UNREADABLE_LOCK_GRACE_MS };
  }
}

/**
 * Removes the lock at `path` for `guild-vault unlock`: a stale or long
 * unreadable one always; a live (or young, or another host's) one only with
 * `force`. Returns what was removed.
 */
export function breakLock(path: string, options: { force?: boolean } = {}): LockState {
  const state = inspectLock(path);
  if (state.state === 'free') return state;
  const live = state.state === 'held' || (state.state === 'unreadable' && state.young);
  if (live && !options.force) {
    if (state.state === 'held') throw lockedError(state.owner, 'It is in use: unlocking it would let two writers corrupt the vault. Wait for that job to finish, or add --force if you are sure it is gone (a vault on a shared drive used from another machine).');
    throw new GuildVaultError('VAULT_LOCKED', 'Another process is taking the vault lock right now.', 'Try again in a minute; add --force only if you are sure no job is running.');
  }
  fs.rmSync(path, { force: true });
  return state;
}

export function readOwner(path: string): LockOwner | undefined {
  try {
    return parseOwner(fs.readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function describeOwner(owner: LockOwner): string {
  const what = owner.purpose ? ` (${owner.purpose})` : '';
  return `process ${owner.pid} on ${owner.hostname}${what}, since ${owner.acquiredAt}`;
}

function lockedError(owner: LockOwner, hint = 'Wait for that job to finish or cancel it, then try again.'): GuildVaultError {
  return new GuildVaultError('VAULT_LOCKED', `The vault is in use by ${describeOwner(owner)}.`, hint);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return owner && typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which lock file this is: inode, modification time and content. (An inode
 * alone is not enough: a removed lock's number is reused at once by the next
 * file created, often the fresh lock itself.)
 */
export function lockFingerprint(path: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return fingerprintOf(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fingerprintOf(fd: number): string {
  const stat = fs.fstatSync(fd);
  return `${stat.ino}:${stat.mtimeMs}:${fs.readFileSync(fd, 'utf8')}`;
}

type LockFile =
  | { kind: 'free' }
  | { kind: 'held'; owner: LockOwner }
  | { kind: 'stale'; owner: LockOwner; fingerprint: string }
  | { kind: 'unreadable'; ageMs: number; fingerprint: string };

function inspectLockFile(path: string): LockFile {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    throw error;
  }
  try {
    // What is judged and its fingerprint come from the same open file: the takeover checks it is still this one.
    const stat = fs.fstatSync(fd);
    const fingerprint = fingerprintOf(fd);
    const owner = parseOwner(fingerprint.slice(fingerprint.indexOf(':', fingerprint.indexOf(':') + 1) + 1));
    if (!owner) return { kind: 'unreadable', ageMs: Date.now() - stat.mtimeMs, fingerprint };
    return isAlive(owner) ? { kind: 'held', owner } : { kind: 'stale', owner, fingerprint };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `owner` to a temporary file and links it into place: false when the lock exists. */
function linkOwner(path: string, owner: LockOwner): boolean {
  return linkNew(path, JSON.stringify(owner));
}

function linkNew(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temp, content, { flag: 'wx' });
  try {
    fs.linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createExclusive(path, content); // no hard links (FAT, some network drives)
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Where hard links are not supported: create-exclusive, then write. The lock
 * is empty for a moment, which is why a young unreadable lock counts as held.
 */
function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Removes the stale lock file with this fingerprint (as found when it was
 * judged stale), under a guard only one
 * process holds: without it, two processes that both judged the lock stale
 * could each remove it, the second removing the first one's fresh lock.
 * Inside the guard nobody else removes the lock, and nobody can link a new
 * one while it exists, so checking the fingerprint and removing is safe.
 */
export function removeStaleLock(path: string, fingerprint: string): void {
  const guard = `${path}.takeover`;
  if (!linkNew(guard, String(process.pid))) {
    removeIfOlder(guard, TAKEOVER_GUARD_STALE_MS);
    return; // someone else is taking it over: look again
  }
  try {
    if (lockFingerprint(path) === fingerprint) fs.rmSync(path, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

function removeIfOlder(path: string, ageMs: number): void {
  const stat = statOrUndefined(path);
  if (stat && Date.now() - stat.mtimeMs > ageMs) fs.rmSync(path, { force: true });
}

function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
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
