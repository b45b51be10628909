import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Statement, Vault } from '../vault';
import { casPathFor, casTempDir } from './casPath';
import { collectGarbage, type GarbageReport } from './garbage';
import { verifyMediaPool, type MediaVerifyReport } from './verify';
import type { Job } from '../job';
import { stripSignature } from './sourceUrl';
import { orDiskFull } from '../vault/diskFull';
import { formatBytes } from '../text';

/** Bytes to store: a Node or web stream (anything async-iterable) or a buffer. */
export type MediaBytes = AsyncIterable<Uint8Array> | Uint8Array;

export interface PutOptions {
  contentType?: string;
  /** Where the bytes came from; stored with the signature stripped. */
  sourceUrl?: string;
  /** Stop reading and throw MediaSizeCapExceeded once more than this many bytes arrived. */
  maxBytes?: number;
}

export interface StoredMedia {
  sha256: string;
  size: number;
  /** True when the pool already had this content (nothing new was written). */
  existed: boolean;
}

/** Thrown by put() when a stream outgrows its size cap; nothing is kept. */
export class MediaSizeCapExceeded extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than the size cap of ${formatBytes(maxBytes)}`);
  }
}

/** Names a place that points at media: an attachment's file, a user's avatar, a guild's icon... */
export interface MediaRefKey {
  ownerKind: string;
  ownerId: string;
  slot: string;
}

export interface MediaRef extends MediaRefKey {
  /** The URL to download from (signed URLs as received: the signature is needed to fetch). */
  sourceUrl: string;
  /** Size announced by Discord, when known (lets the size cap skip without a request). */
  size?: number;
}

export type MediaRefStatus = 'pending' | 'stored' | 'skipped' | 'failed';

export interface MediaRefState extends MediaRef {
  status: MediaRefStatus;
  sha256?: string;
  problem?: string;
  /** The HTTP status of a failed download, when the server answered. */
  httpStatus?: number;
}

/**
 * The media pool: files stored once by content under cas/ab/cd/<sha256>, a `media`
 * row per file, and `media_refs` rows saying who points at which file. Anything that
 * keeps media (archive, snapshots) records a reference, so garbage collection knows
 * what is still in use.
 *
 * Durability: a download goes to cas/tmp, is hashed while streaming, fsynced, and only
 * then renamed to its final name. So a name under cas/ always holds complete content,
 * which matters because dedup trusts an existing name and never writes it again. The
 * directory is not fsynced: a rename lost in a power cut only costs a re-download,
 * and `verify` reports it.
 */
export class MediaPool {
  /** Folders known to exist (cas/tmp, cas/ab/cd): mkdir once, not per file. */
  private readonly madeDirs = new Set<string>();
  private insertRef: Statement | undefined;

  constructor(readonly vault: Vault) {}

  get casDir(): string {
    return this.vault.casDir;
  }

  pathFor(sha256: string): string {
    return casPathFor(this.casDir, sha256);
  }

  /** True when the pool has a row and a file for this hash. */
  has(sha256: string): boolean {
    return this.vault.db.prepare('SELECT 1 FROM media WHERE sha256 = ?').get(sha256) !== undefined && fs.existsSync(this.pathFor(sha256));
  }

  read(sha256: string): Buffer {
    return fs.readFileSync(this.pathFor(sha256));
  }

  /** Streams bytes into the pool, hashing as they arrive; returns the content's SHA-256. */
  async put(bytes: MediaBytes, options: PutOptions = {}): Promise<StoredMedia> {
    const file = await this.storeFile(bytes, options);
    return { ...file, existed: this.recordFile(file, options) };
  }

  /**
   * The file half of put(): the bytes land under cas/ by their hash (or are
   * dropped when that name exists), nothing is written to the database. A file
   * whose row is never recorded is a stray that garbage collection removes.
   */
  async storeFile(bytes: MediaBytes, options: PutOptions = {}): Promise<StoredMedia> {
    const tempDir = casTempDir(this.casDir);
    this.ensureDir(tempDir);
    const tempPath = path.join(tempDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const file = await fs.promises.open(tempPath, 'w');
    try {
      for await (const chunk of bytes instanceof Uint8Array ? [bytes] : bytes) {
        size += chunk.byteLength;
        if (options.maxBytes !== undefined && size > options.maxBytes) throw new MediaSizeCapExceeded(options.maxBytes);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } catch (error) {
      await file.close().catch(() => undefined);
      removeQuietly(tempPath);
      throw orDiskFull(error, this.vault.dir);
    }
    await file.close();
    const sha256 = hash.digest('hex');
    const finalPath = this.pathFor(sha256);
    // A name of the wrong size (a file cut short by a power loss) is replaced, not trusted.
    const existed = fs.statSync(finalPath, { throwIfNoEntry: false })?.size === size;
    if (existed) {
      removeQuietly(tempPath);
    } else {
      this.ensureDir(path.dirname(finalPath));
      fs.renameSync(tempPath, finalPath);
    }
    return { sha256, size, existed };
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /** The database half of put(): the file's `media` row. Returns true when the pool already had it. */
  recordFile(file: StoredMedia, options: Pick<PutOptions, 'contentType' | 'sourceUrl'> = {}): boolean {
    const inserted = this.vault.db
      .prepare('INSERT OR IGNORE INTO media (sha256, size, content_type, source_url, stored_at) VALUES (?, ?, ?, ?, ?)')
      .run(file.sha256, file.size, options.contentType ?? null, options.sourceUrl ? stripSignature(options.sourceUrl) : null, new Date().toISOString());
    return file.existed && Number(inserted.changes) === 0;
  }

  /**
   * Records that `ref` points at a file to download. Returns false when the
   * reference was already known (its file stored, skipped or still pending).
   */
  addReference(ref: MediaRef): boolean {
    // Prepared once: the ingest adds a reference for about one message in ten.
    this.insertRef ??= this.vault.db.prepare('INSERT OR IGNORE INTO media_refs (owner_kind, owner_id, slot, source_url, size) VALUES (?, ?, ?, ?, ?)');
    const result = this.insertRef.run(ref.ownerKind, ref.ownerId, ref.slot, ref.sourceUrl, ref.size ?? null);
    return Number(result.changes) > 0;
  }

  /** Points a reference at a stored file (adding the reference if needed). */
  markStored(ref: MediaRef, stored: { sha256: string; size: number }): void {
    this.upsertState(ref, 'stored', stored.sha256, null, stored.size, null);
  }

  markSkipped(ref: MediaRef, problem: string, size?: number): void {
    this.upsertState(ref, 'skipped', null, problem, size ?? ref.size ?? null, null);
  }

  /** `httpStatus`: what the server answered (undefined when no answer came: network trouble). */
  markFailed(ref: MediaRef, problem: string, httpStatus?: number): void {
    this.upsertState(ref, 'failed', null, problem, ref.size ?? null, httpStatus ?? null);
  }

  /**
   * Puts failed downloads back in the queue, except those the server answered
   * with a 4xx: the file is gone (a signed link that had only expired was
   * refreshed and tried again before it was recorded as failed).
   */
  requeueFailed(): number {
    const result = this.vault.db
      .prepare("UPDATE media_refs SET status = 'pending', problem = NULL, http_status = NULL WHERE status = 'failed' AND coalesce(http_status, 0) NOT BETWEEN 400 AND 499")
      .run();
    return Number(result.changes);
  }

  referenceState(key: MediaRefKey): MediaRefState | undefined {
    const row = this.vault.db
      .prepare('SELECT source_url, size, status, sha256, problem, http_status FROM media_refs WHERE owner_kind = ? AND owner_id = ? AND slot = ?')
      .get(key.ownerKind, key.ownerId, key.slot) as RefRow | undefined;
    return row ? toState(key, row) : undefined;
  }

  /** Pending references, oldest owners first, skipping the given ones (already in flight). */
  pendingReferences(limit: number): MediaRefState[] {
    const rows = this.vault.db
      .prepare("SELECT owner_kind, owner_id, slot, source_url, size, status, sha256, problem, http_status FROM media_refs WHERE status = 'pending' LIMIT ?")
      .all(limit) as unknown as (RefRow & { owner_kind: string; owner_id: string; slot: string })[];
    return rows.map((row) => toState({ ownerKind: row.owner_kind, ownerId: row.owner_id, slot: row.slot }, row));
  }

  /** Re-hashes every file; reports missing and corrupt ones. */
  verify(job?: Job): Promise<MediaVerifyReport> {
    return verifyMediaPool(this, job);
  }

  /** Removes files no reference points at. Needs the vault open for writing. */
  collectGarbage(job?: Job): GarbageReport {
    return collectGarbage(this, job);
  }

  /** How many referenced files still wait for their download (an index count). */
  pendingCount(): number {
    return (this.vault.db.prepare("SELECT count(*) AS n FROM media_refs WHERE status = 'pending'").get() as { n: number }).n;
  }

  /** Counts of references by status, and the pool's size on disk. */
  stats(): { files: number; bytes: number; refs: Record<MediaRefStatus, number> } {
    const totals = this.vault.db.prepare('SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes FROM media').get() as { files: number; bytes: number };
    const refs: Record<MediaRefStatus, number> = { pending: 0, stored: 0, skipped: 0, failed: 0 };
    for (const row of this.vault.db.prepare('SELECT status, count(*) AS n FROM media_refs GROUP BY status').all() as { status: MediaRefStatus; n: number }[]) {
      refs[row.status] = row.n;
    }
    return { files: totals.files, bytes: totals.bytes, refs };
  }

  private upsertState(ref: MediaRef, status: MediaRefStatus, sha256: string | null, problem: string | null, size: number | null, httpStatus: number | null): void {
    this.vault.db
      .prepare(
        `INSERT INTO media_refs (owner_kind, owner_id, slot, source_url, sha256, status, problem, size, http_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (owner_kind, owner_id, slot) DO UPDATE SET
           source_url = excluded.source_url, sha256 = excluded.sha256, status = excluded.status,
           problem = excluded.problem, size = coalesce(excluded.size, size), http_status = excluded.http_status`,
      )
      .run(ref.ownerKind, ref.ownerId, ref.slot, ref.sourceUrl, sha256, status, problem, size, httpStatus);
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

interface RefRow {
  source_url: string;
  size: number | null;
  status: MediaRefStatus;
  sha256: string | null;
  problem: string | null;
  http_status?: number | null;
}

function toState(key: MediaRefKey, row: RefRow): MediaRefState {
  return {
    ...key,
    sourceUrl: row.source_url,
    size: row.size ?? undefined,
    status: row.status,
    sha256: row.sha256 ?? undefined,
    problem: row.problem ?? undefined,
    httpStatus: row.http_status ?? undefined,
  };
}
