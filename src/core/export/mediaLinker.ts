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
 */
export class MediaLinker {
  readonly counts: MediaCounts = { copied: 0, bytes: 0, missing: 0 };
  private readonly placed = new Map<string, string>();
  private readonly lookup;

  constructor(
    private readonly vault: Vault,
    private readonly outDir: string,
    readonly mode: MediaMode,
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
    let target = path.join(this.outDir, MEDIA_DIR, name);
    const existing = fs.statSync(target, { throwIfNoEntry: false });
    if (existing && existing.size !== size) {
      // Another file took the short name: the full hash keeps both.
      name = mediaFileName(fileName, sha256).replace(/-[0-9A-F]{5}\./, `-${sha256.toUpperCase()}.`);
      target = path.join(this.outDir, MEDIA_DIR, name);
    }
    if (!fs.statSync(target, { throwIfNoEntry: false })) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.partial`;
      fs.copyFileSync(source, temp, fs.constants.COPYFILE_FICLONE);
      fs.renameSync(temp, target);
      this.counts.copied++;
      this.counts.bytes += size;
    }
    if (this.placed.size > 200_000) this.placed.clear();
    this.placed.set(sha256, name);
    return name;
  }
}

function encodePath(relative: string): string {
  return relative.split(path.sep).map((segment) => (segment === '..' ? segment : encodeURIComponent(segment))).join('/');
}
