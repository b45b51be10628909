/**
 * Folds a SQLite write-ahead log into its database image, as SQLite's own
 * recovery does: frames count only up to the last commit whose salts and
 * cumulative checksums are valid. The WASM engine needs this because sql.js
 * keeps the database in memory and cannot read a `-wal` file itself; a vault
 * last written by the native engine that was killed has its newest commits
 * only there. See https://www.sqlite.org/fileformat2.html#walformat.
 */
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export interface WalReplay {
  image: Uint8Array;
  /** Committed frames applied (0: the log held nothing committed). */
  frames: number;
}

export function replayWal(main: Uint8Array, wal: Uint8Array): WalReplay {
  if (wal.length < WAL_HEADER) return { image: main, frames: 0 };
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { image: main, frames: 0 };
  const bigEndian = (magic & 1) === 1;
  const pageSize = view.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return { image: main, frames: 0 };
  let sum = checksum(view, 0, 24, bigEndian, [0, 0]);
  if (sum[0] !== view.getUint32(24) || sum[1] !== view.getUint32(28)) return { image: main, frames: 0 };
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);

  // Pages as of the last valid commit: page number -> offset of its frame's data.
  const committed = new Map<number, number>();
  const pending = new Map<number, number>();
  let committedPages = 0;
  let frames = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break;
    sum = checksum(view, at, 8, bigEndian, sum);
    sum = checksum(view, at + FRAME_HEADER, pageSize, bigEndian, sum);
    if (sum[0] !== view.getUint32(at + 16) || sum[1] !== view.getUint32(at + 20)) break;
    const page = view.getUint32(at);
    if (page === 0) break;
    pending.set(page, at + FRAME_HEADER);
    const sizeAfterCommit = view.getUint32(at + 4);
    if (sizeAfterCommit > 0) {
      for (const [p, offset] of pending) committed.set(p, offset);
      frames += pending.size;
      pending.clear();
      committedPages = sizeAfterCommit;
    }
  }
  if (committedPages === 0) return { image: main, frames: 0 };

  const image = new Uint8Array(committedPages * pageSize);
  image.set(main.subarray(0, Math.min(main.length, image.length)));
  for (const [page, offset] of committed) {
    if (page <= committedPages) image.set(wal.subarray(offset, offset + pageSize), (page - 1) * pageSize);
  }
  return { image, frames };
}

/** SQLite's WAL checksum over `length` bytes (a multiple of 8) from `offset`, continuing `[s0, s1]`. */
function checksum(view: DataView, offset: number, length: number, bigEndian: boolean, start: [number, number]): [number, number] {
  let s0 = start[0];
  let s1 = start[1];
  for (let i = offset; i < offset + length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}
