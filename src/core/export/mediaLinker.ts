import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { casPathFor, stripSignature } from '../media';
import type { Vault } from '../vault';
import { mediaFileName } from './fileNames';
import type { MediaMode } from './types';

export interface MediaKey {
  ownerKind: string;
  ownerId: string;
  slot: string;
}

export interface MediaCounts {
  copied: number;
  bytes: number;
  missing: number;
}

/** Every export's media folder, beside the pages. */
export const MEDIA_DIR = 'media';

/**
 * Where a page finds a file of the vault's media pool. In copy mode each distinct
 * file is copied once into `media/` (by content: the same picture posted in ten
 * channels is one file), named like DiscordChatExporter does; a file already there
 * from an earlier export into the same folder is not copied again. Files the vault
 * never stored keep Discord's URL, counted as missing.
 *
 * Five hex digits of the hash repeat among about 1,200 files, and thousands are
 * called "image.png": a name is taken only when the file there is known to hold
 * this content (placed by this export, or recorded by the last one with the same
 * size, or read and hashed); otherwise the full hash makes the name unique.
 */
export class MediaLinker {
  readonly counts: MediaCounts = { copied: 0, bytes: 0, missing: 0 };
  private readonly placed = new Map<string, string>();
  /** name -> SHA-256 of every file under media/ this export placed or found holding it. */
  private readonly names = new Map<string, string>();
  /** name -> "sha256:mtime" of those files, for the manifest. */
  private readonly stamps = new Map<string, string>();
  private readonly lookup;

  constructor(
    private readonly vault: Vault,
    private readonly outDir: string,
    readonly mode: MediaMode,
    /** name -> "sha256:mtime" the last export into this folder recorded (its manifest). */
    private readonly recorded: Readonly<Record<string, string>> = {},
  ) {
    this.lookup = vault.db.prepare('SELECT sha256, source_url, size FROM media_refs WHERE owner_kind = ? AND owner_id = ? AND slot = ?');
  }

  /**
   * A URL for the file (relative to the export folder, URL-encoded), Discord's URL
   * when the vault does not hold it or media is 'none', or null when nothing is known.
   */
  resolve(key: MediaKey, fileName: string, fallbackUrl: string | null): string | null {
    const row = this.lookup.get(key.ownerKind, key.ownerId, key.slot) as { sha256: string | null; source_url: string; size: number | null } | undefined;
    const remote = row ? stripSignature(row.source_url) : fallbackUrl;
    if (this.mode === 'none') return remote;
    if (!row?.sha256) {
      this.counts.missing++;
      return remote;
    }
    if (this.mode === 'link') return encodePath(path.relative(this.outDir, casPathFor(this.vault.casDir, row.sha256)));
    return `${MEDIA_DIR}/${encodeURIComponent(this.copy(row.sha256, fileName))}`;
  }

  private copy(sha256: string, fileName: string): string {
    const known = this.placed.get(sha256);
    if (known) return known;
    const source = casPathFor(this.vault.casDir, sha256);
    const size = fs.statSync(source).size;
    let name = mediaFileName(fileName, sha256);
    // Another file took the short name: the full hash keeps both.
    if (this.holds(name, sha256, size) === false) name = name.replace(/-[0-9A-F]{5}\./, `-${sha256.toUpperCase()}.`);
    const target = path.join(this.outDir, MEDIA_DIR, name);
    if (this.holds(name, sha256, size) !== true) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.partial`;
      fs.copyFileSync(source, temp, fs.constants.COPYFILE_FICLONE);
      fs.renameSync(temp, target);
      this.counts.copied++;
      this.counts.bytes += size;
    }
    if (this.placed.size > 200_000) this.placed.clear();
    this.placed.set(sha256, name);
    this.names.set(name, sha256);
    this.stamps.set(name, `${sha256}:${fs.statSync(target).mtimeMs}`);
    return name;
  }

  /**
   * Whether media/name holds this content: true, false (something else is
   * there), or undefined (nothing is). On a case-insensitive disk "Image-…" and
   * "image-…" are one file: the disk is asked, never only this export's memory.
   */
  private holds(name: string, sha256: string, size: number): boolean | undefined {
    const placedHere = this.names.get(name);
    if (placedHere !== undefined) return placedHere === sha256;
    const file = path.join(this.outDir, MEDIA_DIR, name);
    const existing = fs.statSync(file, { throwIfNoEntry: false });
    if (!existing) return undefined;
    if (!existing.isFile() || existing.size !== size) return false;
    // Recorded with this modification time: the file is as the last export left it.
    if (this.recorded[name] === `${sha256}:${existing.mtimeMs}`) return true;
    return hashOf(file) === sha256;
  }

  /** The media files under media/ whose content is known, as "sha256:mtime" by name, for the manifest. */
  files(): Record<string, string> {
    return { ...this.recorded, ...Object.fromEntries(this.stamps) };
  }
}

function hashOf(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let read: number; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function encodePath(relative: string): string {
  return relative.split(path.sep).map((segment) => (segment === '..' ? segment : encodeURIComponent(segment))).join('/');
}
