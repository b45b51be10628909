import * as fs from 'node:fs';
import * as path from 'node:path';
import { BundleError } from './bundleError';
import { looksLikeContainer, readHeader, type OpenedContainer } from './container';
import { readContainerBody } from './containerStreams';
import { checkManifest, MEDIA_DIGEST_BYTES, type BundleManifest } from './manifest';
import { readRecords, type ReadRecord } from './records';
import { openSealKeys, type SealKeys } from './sealing';

/** A vault bundle opened for reading: header checked, keys derived when it is encrypted. */
export interface OpenedBundle extends OpenedContainer {
  file: string;
  keys: SealKeys | undefined;
}

export async function openBundle(file: string, passphrase: string | undefined): Promise<OpenedBundle> {
  const opened = readHeader(file, 'vault-bundle');
  return { ...opened, file, keys: await keysFor(opened, passphrase) };
}

export async function keysFor(opened: OpenedContainer, passphrase: string | undefined): Promise<SealKeys | undefined> {
  if (!opened.header.seal) return undefined;
  if (passphrase === undefined) {
    throw new BundleError('BUNDLE_PASSPHRASE', 'This file is encrypted and no passphrase was given.', 'Set GUILD_VAULT_PASSPHRASE, or run it on a terminal to be asked.');
  }
  return openSealKeys(passphrase, opened.header.seal);
}

/** Every record of a bundle, checked as it is read; the first is always its manifest. */
export async function* bundleRecords(bundle: OpenedBundle, signal?: AbortSignal): AsyncGenerator<ReadRecord & { manifest?: BundleManifest }> {
  const reader = readContainerBody(bundle.file, bundle, bundle.keys, signal);
  try {
    let first = true;
    for await (const record of readRecords(reader)) {
      if (first) {
        first = false;
        yield { ...record, manifest: checkManifest(record.header) };
      } else {
        yield record;
      }
    }
    if (first) throw new BundleError('BUNDLE_DAMAGED', 'The bundle is damaged: it holds no manifest.', 'Use another copy.');
  } finally {
    await reader.close();
  }
}

/** What an incremental bundle needs of its parent: manifest, page digests, media set. Reads only the first records. */
export interface BundleIndex {
  manifest: BundleManifest;
  pageDigests: Buffer;
  media: Set<string>;
}

export async function readBundleIndex(bundle: OpenedBundle, signal?: AbortSignal): Promise<BundleIndex> {
  let manifest: BundleManifest | undefined;
  let pageDigests: Buffer | undefined;
  for await (const record of bundleRecords(bundle, signal)) {
    if (record.manifest) manifest = record.manifest;
    else if (record.header.t === 'page-index') pageDigests = await record.bytes();
    else if (record.header.t === 'media-index') {
      if (!manifest || !pageDigests) break;
      return { manifest, pageDigests, media: mediaSet(await record.bytes()) };
    } else break;
  }
  throw new BundleError('BUNDLE_DAMAGED', `${bundle.file} is damaged: its index records are missing.`, 'Use another copy.');
}

export function mediaSet(bytes: Buffer): Set<string> {
  const set = new Set<string>();
  for (let offset = 0; offset + MEDIA_DIGEST_BYTES <= bytes.length; offset += MEDIA_DIGEST_BYTES) set.add(bytes.subarray(offset, offset + MEDIA_DIGEST_BYTES).toString('hex'));
  return set;
}

/**
 * The bundles an incremental bundle stands on, oldest (the full one) first, found by id among the
 * bundle files in the same folder. A missing link is named with its date.
 */
export function resolveChain(file: string): string[] {
  const chain = [file];
  let header = readHeader(file, 'vault-bundle').header;
  if (!header.parentId) return chain;
  const dir = path.dirname(path.resolve(file));
  const byId = new Map<string, string>();
  for (const name of fs.readdirSync(dir)) {
    const candidate = path.join(dir, name);
    if (candidate === path.resolve(file) || !fs.statSync(candidate).isFile() || !looksLikeContainer(candidate)) continue;
    try {
      const h = readHeader(candidate, 'vault-bundle').header;
      byId.set(h.id, candidate);
    } catch {
      // not a readable bundle: not a link of this chain
    }
  }
  const seen = new Set([header.id]);
  while (header.parentId) {
    const parent = byId.get(header.parentId);
    if (!parent) {
      throw new BundleError(
        'BUNDLE_CHAIN_BROKEN',
        `${path.basename(chain[0])} is an incremental bundle, and the bundle it builds on (written ${header.parentCreatedAt ?? 'at an unknown time'}, id ${header.parentId}) is not in ${dir}.`,
        'Put every bundle of the chain, back to the full one, in the same folder.',
      );
    }
    header = readHeader(parent, 'vault-bundle').header;
    if (seen.has(header.id)) throw new BundleError('BUNDLE_CHAIN_BROKEN', `The bundles in ${dir} name each other in a loop.`, 'Use the bundles as written.');
    seen.add(header.id);
    chain.unshift(parent);
  }
  return chain;
}
