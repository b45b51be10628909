import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Whole-file persistence for an in-memory database: a new image goes to a
 * temporary file beside the target, is fsynced, renamed over the target in one
 * step, and the folder is fsynced so the rename itself survives a power cut.
 * A crash at any point leaves either the old image or the new one, never a mix.
 */
const TEMP_MARK = '.image-';
const CHUNK = 64 * 1024 * 1024;

export function writeImageAtomically(target: string, image: Uint8Array): void {
  const temp = `${target}${TEMP_MARK}${process.pid}`;
  const fd = fs.openSync(temp, 'w');
  try {
    // In chunks: one write of more than 2 GiB fails on some platforms.
    for (let at = 0; at < image.length; ) at += fs.writeSync(fd, image, at, Math.min(CHUNK, image.length - at));
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, target);
  syncFolder(path.dirname(target));
}

/** Temporary images left by a process killed while writing one (the caller holds the vault lock). */
export function removeStaleImages(target: string): void {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_MARK}`;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

export function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Windows cannot open or fsync a folder; its renames are journaled by NTFS.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
