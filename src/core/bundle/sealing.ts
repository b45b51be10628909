import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BundleError } from './bundleError';
import { formatCount, plural } from '../text';

/**
 * Authenticated encryption of a byte stream in chunks: AES-256-GCM from node:crypto, laid out as
 * the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015). Each chunk's nonce is a
 * per-file random prefix, the chunk's index and a "last chunk" flag, and every chunk is bound to
 * the file's header through the additional data, so chunks cannot be reordered, dropped,
 * truncated or moved between files without the tag check failing. The key comes from the
 * passphrase through scrypt, with its parameters and salt in the (cleartext) header.
 */
export interface SealParams {
  cipher: 'aes-256-gcm';
  kdf: 'scrypt';
  /** scrypt cost parameters; N a power of two. */
  N: number;
  r: number;
  p: number;
  /** base64, 16 bytes. */
  salt: string;
  /** base64, 7 bytes: the nonce prefix of this file. */
  noncePrefix: string;
  /** Plaintext bytes per chunk. */
  chunkSize: number;
  /** base64, 16 bytes of HMAC-SHA256(check key, label): tells a wrong passphrase from a damaged file. */
  keyCheck: string;
}

export interface SealKeys {
  params: SealParams;
  encryptionKey: Buffer;
}

/** scrypt N = 2^17, r = 8: about 0.3 s and 128 MiB once per file, the cost OWASP suggests for scrypt. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const CHUNK_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const KEY_CHECK_LABEL = 'guild-vault key check v1';

function scrypt(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCallback(passphrase.normalize('NFC'), salt, 64, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function keyCheck(checkKey: Buffer): Buffer {
  return createHmac('sha256', checkKey).update(KEY_CHECK_LABEL).digest().subarray(0, 16);
}

/** Fresh salt and nonce prefix, and the keys for them: for a file about to be written. */
export async function newSealKeys(passphrase: string, cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<SealKeys> {
  if (!passphrase) throw new BundleError('BUNDLE_PASSPHRASE', 'The passphrase is empty.', 'Give a passphrase (GUILD_VAULT_PASSPHRASE, or type it when asked).');
  const salt = randomBytes(16);
  const key = await scrypt(passphrase, salt, cost);
  const params: SealParams = {
    cipher: 'aes-256-gcm',
    kdf: 'scrypt',
    ...cost,
    salt: salt.toString('base64'),
    noncePrefix: randomBytes(7).toString('base64'),
    chunkSize: CHUNK_SIZE,
    keyCheck: keyCheck(key.subarray(32)).toString('base64'),
  };
  return { params, encryptionKey: key.subarray(0, 32) };
}

/** The keys of an existing file; a wrong passphrase is told apart from a damaged file here, before any chunk. */
export async function openSealKeys(passphrase: string, params: SealParams): Promise<SealKeys> {
  checkParams(params);
  const key = await scrypt(passphrase, Buffer.from(params.salt, 'base64'), params);
  const expected = Buffer.from(params.keyCheck, 'base64');
  const actual = keyCheck(key.subarray(32));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new BundleError('BUNDLE_WRONG_PASSPHRASE', 'The passphrase is wrong for this file.', 'Give the passphrase it was written with; without it the file cannot be read.');
  }
  return { params, encryptionKey: key.subarray(0, 32) };
}

function checkParams(params: SealParams): void {
  const ok =
    params &&
    params.cipher === 'aes-256-gcm' &&
    params.kdf === 'scrypt' &&
    Number.isInteger(params.N) && params.N >= 2 ** 10 && params.N <= 2 ** 22 && (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) && params.r >= 1 && params.r <= 32 &&
    Number.isInteger(params.p) && params.p >= 1 && params.p <= 16 &&
    Number.isInteger(params.chunkSize) && params.chunkSize >= 1024 && params.chunkSize <= 16 * 1024 * 1024 &&
    Buffer.from(params.salt ?? '', 'base64').length === 16 &&
    Buffer.from(params.noncePrefix ?? '', 'base64').length === 7;
  if (!ok) throw new BundleError('BUNDLE_DAMAGED', 'The file header names encryption parameters Guild Vault does not use.', 'The file is damaged or was not written by Guild Vault.');
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 7);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** Encrypts a stream; `headerDigest` (SHA-256 of the file's header) is the additional data of every chunk. */
export class SealStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private readonly prefix: Buffer;

  constructor(private readonly keys: SealKeys, private readonly headerDigest: Buffer) {
    super();
    this.prefix = Buffer.from(keys.params.noncePrefix, 'base64');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const size = this.keys.params.chunkSize;
    // Strictly more than one chunk: the last chunk must wait for flush, where it is marked last.
    if (this.pendingBytes > size) {
      let all = Buffer.concat(this.pending);
      while (all.length > size) {
        this.push(this.seal(all.subarray(0, size), false));
        all = all.subarray(size);
      }
      this.pending = [all];
      this.pendingBytes = all.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.push(this.seal(Buffer.concat(this.pending), true));
    done();
  }

  private seal(plain: Buffer, last: boolean): Buffer {
    if (this.index > 0xffffffff) throw new BundleError('BUNDLE_DAMAGED', 'The stream is too long to encrypt in one file.', '');
    const cipher = createCipheriv('aes-256-gcm', this.keys.encryptionKey, nonce(this.prefix, this.index++, last));
    cipher.setAAD(this.headerDigest);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }
}

/** Decrypts what SealStream wrote; fails with BUNDLE_DAMAGED or BUNDLE_TRUNCATED naming the chunk. */
export class UnsealStream extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private index = 0;
  private readonly prefix: Buffer;

  constructor(private readonly keys: SealKeys, private readonly headerDigest: Buffer, private readonly fileOffset: number) {
    super();
    this.prefix = Buffer.from(keys.params.noncePrefix, 'base64');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const sealedSize = this.keys.params.chunkSize + TAG_BYTES;
    try {
      let offset = 0;
      // Only a chunk with bytes after it can be a middle chunk; the last one is opened in flush.
      while (this.buffer.length - offset > sealedSize) {
        this.push(this.open(this.buffer.subarray(offset, offset + sealedSize), false));
        offset += sealedSize;
      }
      this.buffer = this.buffer.subarray(offset);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.buffer.length < TAG_BYTES) throw this.truncated();
      const last = this.tryOpen(this.buffer, true);
      if (last) {
        this.push(last);
        return done();
      }
      // A middle chunk at the end: the file was cut at a chunk boundary.
      if (this.tryOpen(this.buffer, false)) throw this.truncated();
      throw this.damaged();
    } catch (error) {
      done(error as Error);
    }
  }

  private open(sealed: Buffer, last: boolean): Buffer {
    const plain = this.tryOpen(sealed, last);
    if (!plain) throw this.damaged();
    return plain;
  }

  private tryOpen(sealed: Buffer, last: boolean): Buffer | undefined {
    const decipher = createDecipheriv('aes-256-gcm', this.keys.encryptionKey, nonce(this.prefix, this.index, last));
    decipher.setAAD(this.headerDigest);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
      this.index++;
      return plain;
    } catch {
      return undefined;
    }
  }

  private chunkOffset(): number {
    return this.fileOffset + this.index * (this.keys.params.chunkSize + TAG_BYTES);
  }

  private damaged(): BundleError {
    return new BundleError(
      'BUNDLE_DAMAGED',
      `The file is damaged: encrypted chunk ${formatCount(this.index + 1)} (at byte ${formatCount(this.chunkOffset())}) fails its authentication check.`,
      'The passphrase is right, but bytes of the file were changed. Use another copy.',
    );
  }

  private truncated(): BundleError {
    return new BundleError('BUNDLE_TRUNCATED', `The file is truncated: it ends after ${plural(this.index, 'encrypted chunk')}, before its last one.`, 'The copy is incomplete. Use another copy, or copy it again.');
  }
}
