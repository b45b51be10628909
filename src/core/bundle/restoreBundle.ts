import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cancelled, GuildVaultError } from '../errors';
import { Job } from '../job';
import { casPathFor, isSha256 } from '../media/casPath';
import { CAS_DIR, checkDatabaseFile, DB_FILE, SCHEMA_VERSION } from '../vault';
import { BundleError } from './bundleError';
import { bundleRecords, openBundle, readBundleIndex, resolveChain, type OpenedBundle } from './bundleReader';
import type { BundleManifest } from './manifest';
import { PAGE_DIGEST_BYTES } from './manifest';
import { formatCount, nounFor, plural } from '../text';

export interface RestoreBundleOptions {
  /** The folder of vaults; the vault goes into <vaultRoot>/<server id>. */
  vaultRoot: string;
  passphrase?: string;
}

export interface RestoredVault {
  guildId: string;
  guildName: string;
  dir: string;
  /** The bundles read, oldest first. */
  chain: string[];
  mediaFiles: number;
}

/**
 * Recreates a vault from a bundle (and the bundles it builds on) into a new folder: everything is
 * written beside it first, checked (each record's SHA-256, the database's pages against the
 * bundle's page index, SQLite's integrity check, every media file present), then renamed into
 * place. An existing vault is never written into.
 */
export async function restoreBundle(file: string, options: RestoreBundleOptions, job = new Job()): Promise<RestoredVault> {
  const chain = resolveChain(file);
  const bundles: OpenedBundle[] = [];
  for (const link of chain) bundles.push(await openBundle(link, options.passphrase));
  const newest = bundles[bundles.length - 1];
  let target: string | undefined;
  let staging: string | undefined;
  let finalManifest: BundleManifest | undefined;
  let finalMedia = new Set<string>();
  let finalPageDigests: Buffer = Buffer.alloc(0);
  let mediaWritten = 0;
  try {
    for (const [position, bundle] of bundles.entries()) {
      let manifestSeen: BundleManifest | undefined;
      for await (const record of bundleRecords(bundle, job.signal)) {
        job.throwIfStopped();
        if (record.manifest) {
          manifestSeen = record.manifest;
          checkLink(record.manifest, position, bundle, finalManifest);
          if (position === 0) {
            // The newest bundle decides what the vault must hold; read its index first.
            ({ manifest: finalManifest, media: finalMedia, pageDigests: finalPageDigests } = await readBundleIndex(newest, job.signal));
            target = path.join(options.vaultRoot, finalManifest.guildId);
            refuseExistingVault(target);
            staging = path.join(options.vaultRoot, `.${finalManifest.guildId}.restoring-${process.pid}`);
            fs.rmSync(staging, { recursive: true, force: true });
            fs.mkdirSync(path.join(staging, CAS_DIR), { recursive: true });
          }
          continue;
        }
        const into = staging!;
        if (record.header.t === 'pages') {
          await writePages(path.join(into, DB_FILE), manifestSeen!, record.header, record.data());
        } else if (record.header.t === 'media') {
          const sha = String(record.header.sha256);
          if (!isSha256(sha)) throw new BundleError('BUNDLE_DAMAGED', 'The bundle is damaged: a media record has no valid SHA-256.', 'Use another copy.');
          if (!finalMedia.has(sha) || fs.existsSync(casPathFor(path.join(into, CAS_DIR), sha))) continue;
          await writeMedia(path.join(into, CAS_DIR), sha, record.data());
          mediaWritten++;
          if (mediaWritten % 64 === 0) job.progress({ phase: 'bundle', message: 'media files', done: mediaWritten, total: finalMedia.size });
        }
      }
      if (manifestSeen) fs.truncateSync(path.join(staging!, DB_FILE), manifestSeen.pageCount * manifestSeen.pageSize);
    }
    const manifest = finalManifest!;
    checkRestored(staging!, manifest, finalPageDigests, finalMedia);
    refuseExistingVault(target!);
    fs.renameSync(staging!, target!);
    staging = undefined;
    return { guildId: manifest.guildId, guildName: manifest.guildName, dir: target!, chain, mediaFiles: finalMedia.size };
  } catch (error) {
    if (job.signal.aborted && !(error instanceof GuildVaultError && error.code === 'CANCELLED')) throw cancelled();
    throw error;
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
}

function checkLink(manifest: BundleManifest, position: number, bundle: OpenedBundle, newest: BundleManifest | undefined): void {
  if (position === 0 && manifest.mode !== 'full') {
    throw new BundleError('BUNDLE_CHAIN_BROKEN', `${bundle.file} says it is incremental but names no parent.`, 'Use the bundles as written.');
  }
  if (newest && manifest.guildId !== newest.guildId) {
    throw new BundleError('BUNDLE_CHAIN_BROKEN', `${bundle.file} is a bundle of another server (${manifest.guildId}).`, 'Keep each server\'s bundles in their own folder.');
  }
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new GuildVaultError('VAULT_TOO_NEW', `${bundle.file} holds a vault of schema ${manifest.schemaVersion}; this Guild Vault knows ${SCHEMA_VERSION}.`, 'Update Guild Vault to restore it.');
  }
}

function refuseExistingVault(target: string): void {
  if (fs.existsSync(path.join(target, DB_FILE))) {
    throw new GuildVaultError('VAULT_EXISTS', `There is already a vault at ${target}; a bundle is never restored into an existing vault.`, 'Move that vault aside, or restore into another folder with --vault DIR.');
  }
}

async function writePages(dbPath: string, manifest: BundleManifest, header: { first?: unknown; count?: unknown; size: number }, data: AsyncGenerator<Buffer>): Promise<void> {
  const first = Number(header.first);
  const count = Number(header.count);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || first < 0 || first + count > manifest.pageCount || header.size > count * manifest.pageSize) {
    throw new BundleError('BUNDLE_DAMAGED', 'The bundle is damaged: a run of database pages lies outside the database.', 'Use another copy.');
  }
  const fd = fs.openSync(dbPath, fs.existsSync(dbPath) ? 'r+' : 'w+');
  try {
    let position = first * manifest.pageSize;
    for await (const chunk of data) {
      fs.writeSync(fd, chunk, 0, chunk.length, position);
      position += chunk.length;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function writeMedia(casDir: string, sha256: string, data: AsyncGenerator<Buffer>): Promise<void> {
  const target = casPathFor(casDir, sha256);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.restoring`;
  const hash = createHash('sha256');
  const fd = fs.openSync(temp, 'w');
  try {
    for await (const chunk of data) {
      hash.update(chunk);
      fs.writeSync(fd, chunk);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (hash.digest('hex') !== sha256) {
    fs.rmSync(temp, { force: true });
    throw new BundleError('BUNDLE_DAMAGED', `The bundle is damaged: media file ${sha256.slice(0, 12)}... does not hash to its name.`, 'Use another copy.');
  }
  fs.renameSync(temp, target);
}

function checkRestored(dir: string, manifest: BundleManifest, pageDigests: Buffer, media: Set<string>): void {
  const dbPath = path.join(dir, DB_FILE);
  const size = fs.statSync(dbPath).size;
  const fd = fs.openSync(dbPath, 'r');
  const page = Buffer.alloc(manifest.pageSize);
  try {
    for (let i = 0; i < manifest.pageCount; i++) {
      const read = fs.readSync(fd, page, 0, manifest.pageSize, i * manifest.pageSize);
      const digest = createHash('sha256').update(page.subarray(0, read)).digest().subarray(0, PAGE_DIGEST_BYTES);
      if (!digest.equals(pageDigests.subarray(i * PAGE_DIGEST_BYTES, (i + 1) * PAGE_DIGEST_BYTES))) {
        throw new BundleError('BUNDLE_CHAIN_BROKEN', `The restored database differs from the bundle's record of it at page ${formatCount(i + 1)}: a bundle of the chain is missing or out of order.`, 'Restore from the full bundle and every incremental one after it, in the same folder.');
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  if (size !== manifest.pageCount * manifest.pageSize) throw new BundleError('BUNDLE_DAMAGED', 'The restored database has the wrong size.', 'Use another copy.');
  const integrity = checkDatabaseFile(dbPath);
  if (integrity !== 'ok') throw new BundleError('BUNDLE_DAMAGED', `The restored database fails SQLite's integrity check (${integrity}).`, 'Use another copy.');
  const casDir = path.join(dir, CAS_DIR);
  let missing = 0;
  for (const sha of media) if (!fs.existsSync(casPathFor(casDir, sha))) missing++;
  if (missing > 0) {
    throw new BundleError('BUNDLE_CHAIN_BROKEN', `${plural(missing, 'media file')} of the vault ${nounFor(missing, 'is', 'are')} in none of the bundles read.`, 'Restore from the full bundle and every incremental one after it, in the same folder.');
  }
}
