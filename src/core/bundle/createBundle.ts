import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cancelled, GuildVaultError } from '../errors';
import { Job } from '../job';
import { isSha256 } from '../media/casPath';
import { CAS_DIR, copyDatabaseConsistently, DB_FILE, SCHEMA_VERSION, Vault } from '../vault';
import { readGuildIdentity } from '../vault/identity';
import { openBundle, readBundleIndex, type BundleIndex } from './bundleReader';
import { bestCompression, type Compression } from './compression';
import { newHeader } from './container';
import { writeContainer } from './containerStreams';
import { MEDIA_DIGEST_BYTES, PAGE_DIGEST_BYTES, type BundleManifest } from './manifest';
import { RecordWriter } from './records';
import { DEFAULT_SCRYPT, newSealKeys } from './sealing';

export interface CreateBundleOptions {
  out: string;
  /** Encrypt with this passphrase. */
  passphrase?: string;
  /** A previous bundle of the same vault: write only what changed since it. */
  since?: string;
  /** Passphrase of the `since` bundle when it differs (default: `passphrase`). */
  sincePassphrase?: string;
  force?: boolean;
  compression?: Compression;
  /** scrypt cost; tests lower it. */
  scryptCost?: { N: number; r: number; p: number };
}

export interface BundleSummary {
  file: string;
  bytes: number;
  manifest: BundleManifest;
  compression: Compression;
  encrypted: boolean;
  parentId: string | null;
}

const READ_CHUNK = 256 * 1024;

/**
 * Writes one file holding a whole vault, or what changed since an earlier bundle: a consistent
 * copy of the database taken while a backup may run, the media pool, compressed and optionally
 * encrypted. Streams everything: memory stays flat whatever the vault's size.
 */
export async function createBundle(vaultDir: string, options: CreateBundleOptions, job = new Job()): Promise<BundleSummary> {
  const dbPath = path.join(vaultDir, DB_FILE);
  const identity = readIdentity(vaultDir);
  const parent = options.since ? await openParent(options.since, options.sincePassphrase ?? options.passphrase, identity.id, job.signal) : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guild-vault-bundle-'));
  try {
    job.progress({ phase: 'bundle', message: 'copying the database' });
    const copy = path.join(work, DB_FILE);
    await copyDatabaseConsistently(dbPath, copy);
    job.throwIfStopped();
    const pageSize = readPageSize(copy);
    const pageDigests = digestPages(copy, pageSize);
    const pageCount = pageDigests.length / PAGE_DIGEST_BYTES;
    const changed = parent ? changedPageRuns(pageDigests, parent.index.pageDigests) : [[0, pageCount] as const];
    const media = listMedia(path.join(vaultDir, CAS_DIR));
    const newMedia = parent ? media.filter((m) => !parent.index.media.has(m.sha256)) : media;
    const manifest: BundleManifest = {
      t: 'manifest',
      size: 0,
      guildId: identity.id,
      guildName: identity.name,
      schemaVersion: SCHEMA_VERSION,
      mode: parent ? 'incremental' : 'full',
      pageSize,
      pageCount,
      pagesIncluded: changed.reduce((sum, [, count]) => sum + count, 0),
      mediaTotal: media.length,
      mediaIncluded: newMedia.length,
      mediaBytesIncluded: newMedia.reduce((sum, m) => sum + m.size, 0),
    };
    const compression = options.compression ?? bestCompression();
    const keys = options.passphrase !== undefined ? await newSealKeys(options.passphrase, options.scryptCost ?? DEFAULT_SCRYPT) : undefined;
    const header = newHeader('vault-bundle', compression, keys?.params ?? null, parent ? { id: parent.id, createdAt: parent.createdAt } : undefined);
    const body = bundleBody({ manifest, copy, pageDigests, changed, media, newMedia, casDir: path.join(vaultDir, CAS_DIR), job });
    const bytes = await writeContainer(options.out, header, keys, body, { signal: job.signal, force: options.force });
    return { file: options.out, bytes, manifest, compression, encrypted: keys !== undefined, parentId: header.parentId };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readIdentity(vaultDir: string): { id: string; name: string } {
  const vault = Vault.open(vaultDir, { mode: 'read' });
  try {
    const identity = readGuildIdentity(vault);
    if (!identity) throw new GuildVaultError('VAULT_NOT_FOUND', `The vault at ${vaultDir} holds no server yet.`, 'Back the server up first.');
    return identity;
  } finally {
    vault.close();
  }
}

async function openParent(file: string, passphrase: string | undefined, guildId: string, signal: AbortSignal | undefined): Promise<{ id: string; createdAt: string; index: BundleIndex }> {
  const bundle = await openBundle(file, passphrase);
  const index = await readBundleIndex(bundle, signal);
  if (index.manifest.guildId !== guildId) {
    throw new GuildVaultError('INVALID_ARGUMENT', `${file} is a bundle of server ${index.manifest.guildId}, not of ${guildId}.`, 'Give --since a bundle of the same server.');
  }
  return { id: bundle.header.id, createdAt: bundle.header.createdAt, index };
}

function readPageSize(dbPath: string): number {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(dbPath, 'r');
  try {
    fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  const raw = header.readUInt16BE(16);
  return raw === 1 ? 65536 : raw; // SQLite stores 65536 as 1
}

/** 16 bytes of SHA-256 per page, in page order. */
function digestPages(dbPath: string, pageSize: number): Buffer {
  const size = fs.statSync(dbPath).size;
  const pages = Math.ceil(size / pageSize);
  const digests = Buffer.alloc(pages * PAGE_DIGEST_BYTES);
  const fd = fs.openSync(dbPath, 'r');
  const page = Buffer.alloc(pageSize);
  try {
    for (let i = 0; i < pages; i++) {
      const read = fs.readSync(fd, page, 0, pageSize, i * pageSize);
      createHash('sha256').update(page.subarray(0, read)).digest().copy(digests, i * PAGE_DIGEST_BYTES, 0, PAGE_DIGEST_BYTES);
    }
  } finally {
    fs.closeSync(fd);
  }
  return digests;
}

/** [first page, count] runs of pages that differ from the parent's (or are beyond its end). */
export function changedPageRuns(current: Buffer, previous: Buffer): (readonly [number, number])[] {
  const runs: [number, number][] = [];
  const pages = current.length / PAGE_DIGEST_BYTES;
  for (let i = 0; i < pages; i++) {
    const at = i * PAGE_DIGEST_BYTES;
    const same = at + PAGE_DIGEST_BYTES <= previous.length && current.compare(previous, at, at + PAGE_DIGEST_BYTES, at, at + PAGE_DIGEST_BYTES) === 0;
    if (same) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === i) last[1]++;
    else runs.push([i, 1]);
  }
  return runs;
}

interface MediaFile {
  sha256: string;
  size: number;
  path: string;
}

/** The media pool's files (cas/ab/cd/<sha256>), sorted; temp downloads and strays are not media. */
function listMedia(casDir: string): MediaFile[] {
  const files: MediaFile[] = [];
  if (!fs.existsSync(casDir)) return files;
  for (const a of fs.readdirSync(casDir, { withFileTypes: true })) {
    if (!a.isDirectory() || !/^[0-9a-f]{2}$/.test(a.name)) continue;
    for (const b of fs.readdirSync(path.join(casDir, a.name), { withFileTypes: true })) {
      if (!b.isDirectory() || !/^[0-9a-f]{2}$/.test(b.name)) continue;
      for (const f of fs.readdirSync(path.join(casDir, a.name, b.name), { withFileTypes: true })) {
        if (!f.isFile() || !isSha256(f.name) || !f.name.startsWith(a.name + b.name)) continue;
        const full = path.join(casDir, a.name, b.name, f.name);
        files.push({ sha256: f.name, size: fs.statSync(full).size, path: full });
      }
    }
  }
  return files.sort((x, y) => (x.sha256 < y.sha256 ? -1 : 1));
}

interface BodyParts {
  manifest: BundleManifest;
  copy: string;
  pageDigests: Buffer;
  changed: (readonly [number, number])[];
  media: MediaFile[];
  newMedia: MediaFile[];
  casDir: string;
  job: Job;
}

async function* bundleBody(parts: BodyParts): AsyncGenerator<Buffer> {
  const { manifest, job } = parts;
  const writer = new RecordWriter();
  yield* writer.record({ ...manifest });
  yield* writer.record({ t: 'page-index', size: parts.pageDigests.length }, [parts.pageDigests]);
  const mediaIndex = Buffer.alloc(parts.media.length * MEDIA_DIGEST_BYTES);
  parts.media.forEach((m, i) => Buffer.from(m.sha256, 'hex').copy(mediaIndex, i * MEDIA_DIGEST_BYTES));
  yield* writer.record({ t: 'media-index', size: mediaIndex.length }, [mediaIndex]);
  for (const [first, count] of parts.changed) {
    if (job.signal.aborted) throw cancelled();
    const size = Math.min(count * manifest.pageSize, fs.statSync(parts.copy).size - first * manifest.pageSize);
    yield* writer.record({ t: 'pages', size, first, count }, fileRange(parts.copy, first * manifest.pageSize, size));
    job.progress({ phase: 'bundle', message: 'database', bytes: size });
  }
  let done = 0;
  for (const file of parts.newMedia) {
    if (job.signal.aborted) throw cancelled();
    yield* writer.record({ t: 'media', size: file.size, sha256: file.sha256 }, fileRange(file.path, 0, file.size));
    done++;
    if (done % 64 === 0 || done === parts.newMedia.length) job.progress({ phase: 'bundle', message: 'media files', done, total: parts.newMedia.length });
  }
  yield writer.end();
}

async function* fileRange(file: string, start: number, size: number): AsyncGenerator<Buffer> {
  if (size === 0) return;
  const stream = fs.createReadStream(file, { start, end: start + size - 1, highWaterMark: READ_CHUNK });
  for await (const chunk of stream) yield chunk as Buffer;
}
