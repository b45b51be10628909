import { DEFAULTS } from '../defaults';
import { describeError, isGuildVaultError } from '../errors';
import { MediaPool, MediaSizeCapExceeded, type MediaBytes, type MediaRef, type MediaRefState } from './mediaPool';
import { signatureExpired } from './sourceUrl';
import { formatCount, plural } from '../text';

/** What the downloader needs from the Discord client (DiscordClient has it). */
export interface MediaFetcher {
  download(url: string, options?: { signal?: AbortSignal }): Promise<{ body: unknown; contentType?: string; size?: number }>;
}

export interface MediaDownloadOptions {
  /** Files larger than this are not downloaded; the skip is recorded. 0 or undefined: no cap. */
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * Runs the database writes of an outcome (the file's row and the reference's
   * state) in a transaction. Default: a transaction of their own; the archive
   * passes its page writer so they share commits with message pages.
   */
  commit?: <T>(work: () => T) => T | Promise<T>;
  /**
   * A fresh URL for a reference whose signed link expired (attachments: the
   * message read again), or undefined when there is none. Without it,
   * expired links fail.
   */
  refreshUrl?: (ref: MediaRef) => Promise<string | undefined>;
}

export type MediaOutcome =
  | { status: 'stored'; sha256: string; size: number; existed: boolean }
  | { status: 'skipped'; problem: string }
  | { status: 'failed'; problem: string };

/**
 * Downloads one referenced file into the pool and records the outcome on the
 * reference. Used by the archive's background downloader and directly by the
 * snapshot capture (guild icons, emoji and sticker images).
 */
export async function downloadReference(pool: MediaPool, fetcher: MediaFetcher, ref: MediaRef, options: MediaDownloadOptions = {}): Promise<MediaOutcome> {
  const cap = options.maxBytes || undefined;
  const commit = options.commit ?? (<T>(work: () => T) => pool.vault.transaction(work));
  if (cap !== undefined && ref.size !== undefined && ref.size > cap) return skip(pool, ref, cap, ref.size, commit);
  let current = ref;
  let response;
  try {
    const fetched = await fetchRefreshing(fetcher, ref, options);
    current = fetched.ref;
    response = fetched.response;
  } catch (error) {
    if (isGuildVaultError(error, 'CANCELLED')) throw error;
    const failed = error instanceof RefreshedDownloadFailed ? error : undefined;
    const cause = failed?.cause ?? error;
    if (failed) current = failed.ref;
    if (isGuildVaultError(cause, 'MEDIA_REFUSED')) {
      // Not a Discord media host: recorded as not downloaded, and not tried again.
      await commit(() => pool.markSkipped(current, cause.message));
      return { status: 'skipped', problem: cause.message };
    }
    const problem = describeError(cause) + (failed?.refreshProblem ? ` (a fresh link could not be had: ${failed.refreshProblem})` : '');
    await commit(() => pool.markFailed(current, problem, httpStatusOf(cause)));
    return { status: 'failed', problem };
  }
  if (cap !== undefined && response.size !== undefined && response.size > cap) {
    await cancelBody(response.body);
    return skip(pool, current, cap, response.size, commit);
  }
  let file;
  const describe = { contentType: response.contentType, sourceUrl: current.sourceUrl };
  try {
    file = await pool.storeFile(response.body as MediaBytes, { ...describe, maxBytes: cap });
  } catch (error) {
    if (error instanceof MediaSizeCapExceeded) {
      await cancelBody(response.body);
      return skip(pool, current, error.maxBytes, undefined, commit);
    }
    // A full disk is not this file's problem: every next file would fail the same way.
    if (options.signal?.aborted || isGuildVaultError(error, 'CANCELLED') || isGuildVaultError(error, 'DISK_FULL')) throw error;
    const problem = `download interrupted: ${describeError(error)}`;
    await commit(() => pool.markFailed(current, problem));
    return { status: 'failed', problem };
  }
  if (typeof current.size === 'number' && file.size !== current.size) {
    // Not the file: a captive portal's page, a body a proxy cut short. Left unrecorded (garbage
    // collection removes the bytes) and failed, so the next run tries again.
    const problem = `the CDN sent ${plural(file.size, 'byte')}, Discord said the file has ${plural(current.size, 'byte')}${response.contentType ? ` (${response.contentType})` : ''}`;
    await commit(() => pool.markFailed(current, problem));
    return { status: 'failed', problem };
  }
  const stored = file;
  const existed = await commit(() => {
    const existed = pool.recordFile(stored, describe);
    pool.markStored(current, stored);
    return existed;
  });
  return { status: 'stored', ...stored, existed };
}

/** A download that failed even after (or without) a fresh link; `ref` carries the newest URL. */
class RefreshedDownloadFailed extends Error {
  constructor(
    readonly ref: MediaRef,
    override readonly cause: unknown,
    readonly refreshProblem?: string,
  ) {
    super(describeError(cause));
  }
}

/**
 * Fetches a reference, renewing its signed link when it has expired
 * (before asking, when the signature says so) or when the server answers
 * 4xx (a link that expired early, or a clock that is off): Discord's
 * attachment links last about a day, and a backup that resumes later holds
 * stale ones. One fresh link per download; a 4xx after it means gone.
 */
async function fetchRefreshing(fetcher: MediaFetcher, ref: MediaRef, options: MediaDownloadOptions) {
  let current = ref;
  let refreshed = false;
  let refreshProblem: string | undefined;
  /** Asks for a fresh link once; false when there is none. */
  const refresh = async (): Promise<boolean> => {
    refreshed = true;
    try {
      const fresh = await options.refreshUrl!(current);
      if (fresh) current = { ...current, sourceUrl: fresh };
      return fresh !== undefined;
    } catch (error) {
      if (isGuildVaultError(error, 'CANCELLED')) throw error;
      refreshProblem = describeError(error); // e.g. the message was deleted
      return false;
    }
  };
  // An expired signature only earns a 404: renew it first (if that fails, the old link's answer says what happened).
  if (options.refreshUrl && signatureExpired(current.sourceUrl)) await refresh();
  for (;;) {
    try {
      return { ref: current, response: await fetcher.download(current.sourceUrl, { signal: options.signal }) };
    } catch (error) {
      if (isGuildVaultError(error, 'CANCELLED')) throw error;
      const status = httpStatusOf(error);
      const mayBeExpired = status !== undefined && status >= 400 && status < 500;
      // A 4xx for a link that looked valid (a clock that is off, a link revoked early): one fresh link, one more try.
      if (!options.refreshUrl || refreshed || !mayBeExpired || !(await refresh())) throw new RefreshedDownloadFailed(current, error, refreshProblem);
    }
  }
}

/** The HTTP status a download failed with, when a server answered. */
function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

async function skip(pool: MediaPool, ref: MediaRef, cap: number, size: number | undefined, commit: NonNullable<MediaDownloadOptions['commit']>): Promise<MediaOutcome> {
  const problem = `over the size cap (${size === undefined ? `more than ${plural(cap, 'byte')}` : plural(size, 'byte')} > ${formatCount(cap)})`;
  await commit(() => pool.markSkipped(ref, problem, size));
  return { status: 'skipped', problem };
}

async function cancelBody(body: unknown): Promise<void> {
  const stream = body as { cancel?: () => Promise<void>; destroy?: () => void };
  try {
    if (typeof stream.cancel === 'function') await stream.cancel();
    else if (typeof stream.destroy === 'function') stream.destroy();
  } catch {
    // already closed
  }
}

export interface MediaQueueOptions extends MediaDownloadOptions {
  concurrency?: number;
  onOutcome?: (ref: MediaRefState, outcome: MediaOutcome) => void;
}

/**
 * Drains the pool's pending references in the background while the archive keeps
 * fetching messages, so downloads overlap with API calls. Pending references live in
 * the vault, so a download cut short by a cancel or a crash is picked up next time.
 */
export class MediaQueue {
  private readonly inFlight = new Set<string>();
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly workers: Promise<void>[] = [];
  private failure: unknown;

  constructor(
    private readonly pool: MediaPool,
    private readonly fetcher: MediaFetcher,
    private readonly options: MediaQueueOptions = {},
  ) {}

  start(): this {
    const count = Math.max(1, this.options.concurrency ?? DEFAULTS.mediaConcurrency);
    for (let i = 0; i < count; i++) this.workers.push(this.work());
    return this;
  }

  /** Tells idle workers that new references were added. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Downloads what is still pending, then stops the workers. */
  async finish(): Promise<void> {
    this.closed = true;
    this.notify();
    await Promise.all(this.workers);
    if (this.failure) throw this.failure;
  }

  private async work(): Promise<void> {
    while (!this.options.signal?.aborted && !this.failure) {
      const ref = this.next();
      if (!ref) {
        if (this.closed && this.inFlight.size === 0) return;
        await new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          // Look again now and then: a download in flight may fail and free work, or a cancel may come.
          setTimeout(resolve, this.closed ? 20 : 250);
        });
        continue;
      }
      const key = refKey(ref);
      this.inFlight.add(key);
      try {
        const outcome = await downloadReference(this.pool, this.fetcher, ref, this.options);
        this.options.onOutcome?.(ref, outcome);
      } catch (error) {
        if (!this.options.signal?.aborted) this.failure = error;
      } finally {
        this.inFlight.delete(key);
        this.notify(); // a finished download may be the last one idle workers wait for
      }
    }
  }

  /** Pending references read ahead in batches: one query per 64 downloads, not one per download. */
  private readonly readAhead: MediaRefState[] = [];

  private next(): MediaRefState | undefined {
    for (;;) {
      if (this.readAhead.length === 0) {
        const batch = this.pool.pendingReferences(this.inFlight.size + 64).filter((ref) => !this.inFlight.has(refKey(ref)));
        if (batch.length === 0) return undefined;
        this.readAhead.push(...batch);
      }
      const ref = this.readAhead.shift()!;
      if (!this.inFlight.has(refKey(ref))) return ref;
    }
  }
}

function refKey(ref: MediaRef): string {
  return `${ref.ownerKind}\u0000${ref.ownerId}\u0000${ref.slot}`;
}
