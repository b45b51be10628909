import { Job } from '../job';
import { bundleRecords, openBundle } from './bundleReader';
import type { Compression } from './compression';
import type { BundleManifest } from './manifest';

export interface BundleCheck {
  file: string;
  createdAt: string;
  compression: Compression;
  encrypted: boolean;
  /** The bundle this one builds on (incremental bundles). */
  parentId: string | null;
  manifest: BundleManifest;
  records: number;
  mediaFiles: number;
  mediaBytes: number;
  databaseBytes: number;
}

/**
 * Reads a whole bundle without writing anything: the header, every encrypted chunk's tag, the
 * decompression, each record's SHA-256 and the end record. Throws the BundleError naming what is
 * wrong, or returns what the bundle holds.
 */
export async function verifyBundle(file: string, options: { passphrase?: string } = {}, job = new Job()): Promise<BundleCheck> {
  const bundle = await openBundle(file, options.passphrase);
  let manifest: BundleManifest | undefined;
  let records = 0;
  let mediaFiles = 0;
  let mediaBytes = 0;
  let databaseBytes = 0;
  for await (const record of bundleRecords(bundle, job.signal)) {
    job.throwIfStopped();
    records++;
    if (record.manifest) manifest = record.manifest;
    for await (const chunk of record.data()) {
      if (record.header.t === 'media') mediaBytes += chunk.length;
      if (record.header.t === 'pages') databaseBytes += chunk.length;
    }
    if (record.header.t === 'media') {
      mediaFiles++;
      if (mediaFiles % 64 === 0) job.progress({ phase: 'bundle', message: 'checking media files', done: mediaFiles, total: manifest?.mediaIncluded });
    }
  }
  return {
    file,
    createdAt: bundle.header.createdAt,
    compression: bundle.header.compression,
    encrypted: bundle.keys !== undefined,
    parentId: bundle.header.parentId,
    manifest: manifest!,
    records,
    mediaFiles,
    mediaBytes,
    databaseBytes,
  };
}
