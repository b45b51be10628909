import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';

/** How a bundle's body is compressed; named in its header so any reader picks the same. */
export type Compression = 'zstd' | 'brotli' | 'gzip';

type ZstdZlib = typeof zlib & {
  createZstdCompress?: (options?: object) => Transform;
  createZstdDecompress?: (options?: object) => Transform;
  constants: typeof zlib.constants & { ZSTD_c_compressionLevel?: number; ZSTD_c_checksumFlag?: number };
};
const z = zlib as ZstdZlib;

/** The best compression this Node has: zstd (Node 22.15+), else brotli; gzip stays readable everywhere. */
export function bestCompression(): Compression {
  return typeof z.createZstdCompress === 'function' ? 'zstd' : 'brotli';
}

export function isCompression(value: unknown): value is Compression {
  return value === 'zstd' || value === 'brotli' || value === 'gzip';
}

export function canDecompress(compression: Compression): boolean {
  return compression !== 'zstd' || typeof z.createZstdDecompress === 'function';
}

export function compressor(compression: Compression): Transform {
  switch (compression) {
    case 'zstd': {
      const params: Record<number, number> = {};
      // Level 3 is zstd's default speed/size trade-off; the frame checksum adds a second integrity check.
      if (z.constants.ZSTD_c_compressionLevel !== undefined) params[z.constants.ZSTD_c_compressionLevel] = 3;
      if (z.constants.ZSTD_c_checksumFlag !== undefined) params[z.constants.ZSTD_c_checksumFlag] = 1;
      return z.createZstdCompress!({ params });
    }
    case 'brotli':
      // Quality 5: brotli's top levels are far slower for a few percent on already-compressed media.
      return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
    case 'gzip':
      return zlib.createGzip({ level: 6 });
  }
}

export function decompressor(compression: Compression): Transform {
  switch (compression) {
    case 'zstd':
      return z.createZstdDecompress!();
    case 'brotli':
      return zlib.createBrotliDecompress();
    case 'gzip':
      return zlib.createGunzip();
  }
}
