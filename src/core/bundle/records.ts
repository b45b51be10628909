import { createHash, type Hash } from 'node:crypto';
import { BundleError } from './bundleError';
import { formatBytes, formatExactBytes } from '../text';

/**
 * The body of a container, once decrypted and decompressed: a sequence of records, each
 * [u32 header length][header JSON][data of header.size bytes][SHA-256 of the data], and a final
 * `end` record counting them and hashing every header and digest before it. A flipped byte in
 * data fails its record's digest; one in a header fails the end record; a cut body has no end.
 */
export interface RecordHeader {
  /** Record type: 'manifest', 'db', 'pages', 'page-index', 'media', 'media-index', 'snapshot', 'end'. */
  t: string;
  /** Bytes of data that follow the header. */
  size: number;
  [key: string]: unknown;
}

const MAX_RECORD_HEADER = 1024 * 1024;

/** Writes records and keeps the running digest the end record carries. */
export class RecordWriter {
  private readonly chain = createHash('sha256');
  private count = 0;

  /** Yields the framing around `data` (given as chunks), hashing it as it passes. */
  async *record(header: RecordHeader, data: AsyncIterable<Buffer> | Iterable<Buffer> = []): AsyncGenerator<Buffer> {
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    this.chain.update(json);
    yield Buffer.concat([length, json]);
    const hash = createHash('sha256');
    let written = 0;
    for await (const chunk of data) {
      written += chunk.length;
      if (written > header.size) throw new Error(`Record ${header.t} grew past its announced ${formatExactBytes(header.size)} while it was written.`);
      hash.update(chunk);
      yield chunk;
    }
    if (written !== header.size) throw new Error(`Record ${header.t} has ${formatExactBytes(written)}, not the announced ${formatExactBytes(header.size)}: the file changed while it was read.`);
    const digest = hash.digest();
    this.chain.update(digest);
    this.count++;
    yield digest;
  }

  end(): Buffer {
    const json = Buffer.from(JSON.stringify({ t: 'end', size: 0, records: this.count, digest: this.chain.digest('hex') }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    return Buffer.concat([length, json]);
  }
}

/** Exact-size reads from a stream of chunks, without holding more than one record's framing. */
export class ByteReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffered.push(next.value);
    this.bufferedBytes += next.value.length;
    return true;
  }

  async atEnd(): Promise<boolean> {
    while (this.bufferedBytes === 0) if (!(await this.fill())) return true;
    return false;
  }

  async readExact(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n) if (!(await this.fill())) throw truncatedBody();
    const all = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.bufferedBytes = rest.length;
    return out;
  }

  /** Up to `n` bytes as they arrive, never more than one source chunk at a time. */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.bufferedBytes === 0 && !(await this.fill())) throw truncatedBody();
      const head = this.buffered.shift()!;
      this.bufferedBytes -= head.length;
      if (head.length > left) {
        const rest = head.subarray(left);
        this.buffered.unshift(rest);
        this.bufferedBytes += rest.length;
        yield head.subarray(0, left);
        left = 0;
      } else {
        left -= head.length;
        yield head;
      }
    }
  }

  /** Stops reading the source (e.g. after the first records of a bundle are all that was needed). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

function truncatedBody(): BundleError {
  return new BundleError('BUNDLE_TRUNCATED', 'The bundle is truncated: its contents end before their last record.', 'The copy is incomplete. Use another copy, or copy it again.');
}

function damagedBody(why: string): BundleError {
  return new BundleError('BUNDLE_DAMAGED', `The bundle is damaged: ${why}.`, 'Bytes of the file were changed. Use another copy.');
}

/** A record as read: its header, and its data to be consumed exactly once (or skipped). */
export interface ReadRecord {
  header: RecordHeader;
  /** The data's chunks; the digest is checked when the last chunk has been taken. */
  data(): AsyncGenerator<Buffer>;
  /** The data in one buffer (for small records). */
  bytes(): Promise<Buffer>;
}

/** Reads records until the end record, checking each digest and the end record's count and chain. */
export async function* readRecords(reader: ByteReader): AsyncGenerator<ReadRecord> {
  const chain = createHash('sha256');
  let count = 0;
  for (;;) {
    const length = (await reader.readExact(4)).readUInt32BE(0);
    if (length === 0 || length > MAX_RECORD_HEADER) throw damagedBody(`a record header claims ${formatExactBytes(length)}, where one is at most ${formatBytes(MAX_RECORD_HEADER)}`);
    const json = await reader.readExact(length);
    let header: RecordHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as RecordHeader;
    } catch {
      throw damagedBody('a record header is not valid JSON');
    }
    if (!header || typeof header.t !== 'string' || !Number.isSafeInteger(header.size) || header.size < 0) throw damagedBody('a record header is malformed');
    if (header.t === 'end') {
      if (header.records !== count || header.digest !== chain.digest('hex')) throw damagedBody('its table of records does not match what it holds');
      if (!(await reader.atEnd())) throw damagedBody('there are bytes after its end');
      return;
    }
    chain.update(json);
    let consumed = false;
    const data = async function* (): AsyncGenerator<Buffer> {
      if (consumed) throw new Error('record data read twice');
      consumed = true;
      const hash: Hash = createHash('sha256');
      for await (const chunk of reader.stream(header.size)) {
        hash.update(chunk);
        yield chunk;
      }
      const expected = await reader.readExact(32);
      const actual = hash.digest();
      if (!expected.equals(actual)) throw damagedBody(`the data of a "${header.t}" record fails its SHA-256 check`);
      chain.update(expected);
    };
    const record: ReadRecord = {
      header,
      data,
      async bytes() {
        const parts: Buffer[] = [];
        for await (const chunk of data()) parts.push(chunk);
        return Buffer.concat(parts);
      },
    };
    yield record;
    if (!consumed) for await (const _ of data()) void _; // skipped data still has to pass its check
    count++;
  }
}
