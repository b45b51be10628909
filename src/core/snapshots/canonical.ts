import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every depth, `undefined` members
 * dropped. Two equal nodes always serialize to the same bytes, so comparing
 * hashes of this text is comparing the nodes.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}

/** 16 bytes of SHA-256: plenty to detect a change, half the storage of the full digest. */
export function nodeHash(canonical: string): Uint8Array {
  return createHash('sha256').update(canonical).digest().subarray(0, 16);
}
