import { BundleError } from './bundleError';
import { isSnowflake } from '../discord/snowflake';

/** The first record of every vault bundle: what it holds, so a reader can plan before the data. */
export interface BundleManifest {
  t: 'manifest';
  size: 0;
  guildId: string;
  guildName: string;
  /** The vault's schema version when it was copied. */
  schemaVersion: number;
  /** 'full': the whole database image; 'incremental': pages changed since the parent bundle. */
  mode: 'full' | 'incremental';
  pageSize: number;
  /** Pages of the database this bundle brings the chain to. */
  pageCount: number;
  /** Pages carried by this bundle (all of them for a full one). */
  pagesIncluded: number;
  /** Media files in the vault when it was copied, and how many of them this bundle carries. */
  mediaTotal: number;
  mediaIncluded: number;
  mediaBytesIncluded: number;
}

/** Bytes of each page's digest in the page index: 128 bits of SHA-256 is plenty to notice a change. */
export const PAGE_DIGEST_BYTES = 16;
export const MEDIA_DIGEST_BYTES = 32;

export function checkManifest(value: unknown): BundleManifest {
  const m = value as Partial<BundleManifest> | null;
  const ok =
    m &&
    m.t === 'manifest' &&
    isSnowflake(m.guildId) &&
    typeof m.guildName === 'string' &&
    (m.mode === 'full' || m.mode === 'incremental') &&
    Number.isInteger(m.pageSize) && m.pageSize! >= 512 && m.pageSize! <= 65536 &&
    Number.isSafeInteger(m.pageCount) && m.pageCount! > 0 &&
    Number.isSafeInteger(m.mediaTotal) && Number.isSafeInteger(m.mediaIncluded);
  if (!ok) throw new BundleError('BUNDLE_DAMAGED', 'The bundle is damaged: its manifest is malformed.', 'Use another copy.');
  return m as BundleManifest;
}
