import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { BundleError } from './bundleError';
import { formatBytes, formatExactBytes } from '../text';
import { canDecompress, isCompression, type Compression } from './compression';
import type { SealParams } from './sealing';

/**
 * The container every Guild Vault file for elsewhere shares (vault bundles, sealed snapshot
 * exports): an 8-byte magic, a format version, then a cleartext JSON header saying how the body
 * that follows is compressed and, if so, encrypted. Only what a reader needs before the passphrase
 * is in the clear: no server id, no names.
 */
export const MAGIC = Buffer.from('GVBUNDLE', 'latin1');
const CONTAINER_VERSION = 1;
/** A header is a few hundred bytes; anything much larger is not ours. */
const MAX_HEADER_BYTES = 64 * 1024;

export type ContainerKind = 'vault-bundle' | 'snapshot';

export interface ContainerHeader {
  kind: ContainerKind;
  /** This file's id; an incremental bundle names its parent's. */
  id: string;
  parentId: string | null;
  /** When the parent was written, to name a missing parent usefully. */
  parentCreatedAt: string | null;
  createdAt: string;
  compression: Compression;
  seal: SealParams | null;
}

export interface OpenedContainer {
  header: ContainerHeader;
  /** SHA-256 of the magic, version and header bytes: every encrypted chunk is bound to it. */
  headerDigest: Buffer;
  /** Where the body starts. */
  bodyOffset: number;
}

export function newHeader(kind: ContainerKind, compression: Compression, seal: SealParams | null, parent?: { id: string; createdAt: string }): ContainerHeader {
  return { kind, id: randomUUID(), parentId: parent?.id ?? null, parentCreatedAt: parent?.createdAt ?? null, createdAt: new Date().toISOString(), compression, seal };
}

export function encodeHeader(header: ContainerHeader): { bytes: Buffer; digest: Buffer } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 1 + 4);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(CONTAINER_VERSION, MAGIC.length);
  prefix.writeUInt32BE(json.length, MAGIC.length + 1);
  const bytes = Buffer.concat([prefix, json]);
  return { bytes, digest: createHash('sha256').update(bytes).digest() };
}

/** True when the file starts like one of ours (used to find a chain's other bundles in a folder). */
export function looksLikeContainer(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const start = Buffer.alloc(MAGIC.length);
      return fs.readSync(fd, start, 0, start.length, 0) === start.length && start.equals(MAGIC);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Reads and checks the cleartext header; says plainly when the file is not a Guild Vault bundle at all. */
export function readHeader(file: string, expectedKind?: ContainerKind): OpenedContainer {
  const notOurs = (why: string) =>
    new BundleError('BUNDLE_NOT_A_BUNDLE', `${file} is not a Guild Vault bundle (${why}).`, 'Give a file written by "guild-vault bundle create" or "snapshots export --encrypt".');
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BundleError('BUNDLE_NOT_A_BUNDLE', `There is no file ${file}.`, 'Check the path.');
    throw error;
  }
  try {
    const prefix = Buffer.alloc(MAGIC.length + 5);
    const read = fs.readSync(fd, prefix, 0, prefix.length, 0);
    if (read < MAGIC.length || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) throw notOurs('it does not start with GVBUNDLE');
    if (read < prefix.length) throw new BundleError('BUNDLE_TRUNCATED', `${file} is truncated: it ends inside its header.`, 'The copy is incomplete. Use another copy.');
    const version = prefix.readUInt8(MAGIC.length);
    if (version !== CONTAINER_VERSION) throw notOurs(`container version ${version}; this Guild Vault reads version ${CONTAINER_VERSION}`);
    const length = prefix.readUInt32BE(MAGIC.length + 1);
    if (length > MAX_HEADER_BYTES) throw new BundleError('BUNDLE_DAMAGED', `${file} is damaged: its header claims ${formatExactBytes(length)}, where a header is at most ${formatBytes(MAX_HEADER_BYTES)}.`, 'Use another copy.');
    const json = Buffer.alloc(length);
    if (fs.readSync(fd, json, 0, length, prefix.length) < length) throw new BundleError('BUNDLE_TRUNCATED', `${file} is truncated: it ends inside its header.`, 'The copy is incomplete. Use another copy.');
    const header = parseHeader(json, file);
    if (expectedKind && header.kind !== expectedKind) {
      throw notOurs(header.kind === 'snapshot' ? 'it is a sealed snapshot export; use "snapshots import"' : 'it is a vault bundle; use "bundle restore"');
    }
    const bytes = Buffer.concat([prefix, json]);
    return { header, headerDigest: createHash('sha256').update(bytes).digest(), bodyOffset: bytes.length };
  } finally {
    fs.closeSync(fd);
  }
}

function parseHeader(json: Buffer, file: string): ContainerHeader {
  const damaged = (why: string) => new BundleError('BUNDLE_DAMAGED', `${file} is damaged: its header ${why}.`, 'Use another copy.');
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw damaged('is not valid JSON');
  }
  const h = value as Partial<ContainerHeader> | null;
  if (!h || typeof h !== 'object') throw damaged('is not an object');
  if (h.kind !== 'vault-bundle' && h.kind !== 'snapshot') throw damaged('names no known kind');
  if (typeof h.id !== 'string' || typeof h.createdAt !== 'string') throw damaged('has no id or date');
  if (!isCompression(h.compression)) throw damaged('names no known compression');
  if (!canDecompress(h.compression)) {
    throw new BundleError('BUNDLE_UNSUPPORTED', `${file} is compressed with ${h.compression}, which this Node.js cannot read.`, 'Open it with a newer Node.js or VS Code (zstd needs Node 22.15 or later).');
  }
  return {
    kind: h.kind,
    id: h.id,
    parentId: typeof h.parentId === 'string' ? h.parentId : null,
    parentCreatedAt: typeof h.parentCreatedAt === 'string' ? h.parentCreatedAt : null,
    createdAt: h.createdAt,
    compression: h.compression,
    seal: h.seal ?? null,
  };
}

/** Whether a bundle or sealed file needs a passphrase (read from its cleartext header; throws for a file that is not ours). */
export function isEncrypted(file: string): boolean {
  return readHeader(file).header.seal !== null;
}
