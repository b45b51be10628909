/**
 * Deterministic file contents for the CDN: images (real PNGs), text files and
 * binary blobs, each a pure function of a key, so nothing is stored and the same
 * key always gives byte-identical files (which is how dedup gets exercised).
 * Sizes are computable without producing the bytes.
 */
import { hash32 } from '../world/random';

export type FileKind = 'png' | 'text' | 'binary';

export interface FileSpec {
  key: string;
  kind: FileKind;
  /** png only */
  width?: number;
  height?: number;
  /** text and binary: exact size in bytes */
  bytes?: number;
}

export function contentTypeOf(spec: FileSpec): string {
  return spec.kind === 'png' ? 'image/png' : spec.kind === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
}

export function fileSize(spec: FileSpec): number {
  if (spec.kind !== 'png') return spec.bytes ?? 0;
  const raw = pngRawLength(spec.width ?? 1, spec.height ?? 1);
  const zlib = 2 + Math.max(1, Math.ceil(raw / 65535)) * 5 + raw + 4;
  return 8 + 25 + (12 + zlib) + 12;
}

export function fileBytes(spec: FileSpec): Buffer {
  switch (spec.kind) {
    case 'png':
      return png(spec.width ?? 1, spec.height ?? 1, spec.key);
    case 'text':
      return textFile(spec.key, spec.bytes ?? 0);
    case 'binary':
      return noise(spec.key, spec.bytes ?? 0);
  }
}

// ---- PNG, stored (uncompressed) deflate so its size is known up front ----

function pngRawLength(width: number, height: number): number {
  return height * (1 + width * 3);
}

function png(width: number, height: number, key: string): Buffer {
  const h = hash32(key);
  const base = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
  const raw = Buffer.alloc(pngRawLength(width, height));
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[o++] = (base[0] + x * 4) & 0xff;
      raw[o++] = (base[1] + y * 4) & 0xff;
      raw[o++] = (base[2] + ((x ^ y) & 0x1f) * 3) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolor RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', storedZlib(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function storedZlib(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = Buffer.alloc(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const part = data.subarray(b * 65535, Math.min(data.length, (b + 1) * 65535));
    out[o] = b === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(part.length, o + 1);
    out.writeUInt16LE(~part.length & 0xffff, o + 3);
    part.copy(out, o + 5);
    o += 5 + part.length;
  }
  out.writeUInt32BE(adler32(data), o);
  return out;
}

let crcTable: Uint32Array | undefined;
function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// ---- text and binary ----

const TEXT_LINES = [
  'Guild Vault test file.\n',
  'Notes from the workshop: glaze at cone 6, fire slowly.\n',
  'Unicode: 日本語 · עברית · العربية · 😀 · e\u0301\n',
  'Parts list: 2x servo, 1x ESP32, 40cm wire.\n',
];

function textFile(key: string, bytes: number): Buffer {
  const out = Buffer.alloc(bytes, 0x20);
  let o = 0;
  let i = hash32(key);
  while (o < bytes) {
    const line = Buffer.from(TEXT_LINES[i++ % TEXT_LINES.length], 'utf8');
    o += line.copy(out, o);
  }
  // A multi-byte character cut at the end would make invalid UTF-8: pad with spaces instead.
  let end = bytes;
  while (end > 0 && (out[end - 1] & 0xc0) === 0x80) end--;
  if (end > 0 && out[end - 1] >= 0xc0) end--;
  out.fill(0x20, end);
  return out;
}

function noise(key: string, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = hash32(key) || 1;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
