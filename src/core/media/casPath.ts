import * as path from 'node:path';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** cas/ab/cd/<sha256>: two levels of fan-out keep directories small with millions of files. */
export function casPathFor(casDir: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
  return path.join(casDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Where downloads are written before they are hashed and renamed into place. */
export function casTempDir(casDir: string): string {
  return path.join(casDir, 'tmp');
}
