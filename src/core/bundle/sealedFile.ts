import { BundleError } from './bundleError';
import { bestCompression } from './compression';
import { looksLikeContainer, newHeader, readHeader } from './container';
import { readContainerBody, writeContainer } from './containerStreams';
import { keysFor } from './bundleReader';
import { readRecords, RecordWriter } from './records';
import { DEFAULT_SCRYPT, newSealKeys } from './sealing';

/**
 * One document (a snapshot export) in the bundle container, encrypted with a passphrase: the
 * same header, chunked AES-256-GCM and record checks as a vault bundle, so a wrong passphrase,
 * a changed byte and a cut file are told apart in the same words.
 */
export async function sealBytes(
  out: string,
  data: Buffer,
  options: { passphrase: string; force?: boolean; scryptCost?: { N: number; r: number; p: number } },
): Promise<number> {
  const keys = await newSealKeys(options.passphrase, options.scryptCost ?? DEFAULT_SCRYPT);
  const header = newHeader('snapshot', bestCompression(), keys.params);
  const writer = new RecordWriter();
  async function* body(): AsyncGenerator<Buffer> {
    yield* writer.record({ t: 'snapshot', size: data.length }, [data]);
    yield writer.end();
  }
  return writeContainer(out, header, keys, body(), { force: options.force });
}

export function isSealedFile(file: string): boolean {
  return looksLikeContainer(file);
}

export async function unsealBytes(file: string, passphrase: string | undefined): Promise<Buffer> {
  const opened = readHeader(file, 'snapshot');
  const keys = await keysFor(opened, passphrase);
  const reader = readContainerBody(file, opened, keys);
  let document: Buffer | undefined;
  try {
    for await (const record of readRecords(reader)) {
      if (record.header.t === 'snapshot' && !document) document = await record.bytes();
    }
  } finally {
    await reader.close();
  }
  if (!document) throw new BundleError('BUNDLE_DAMAGED', `${file} is damaged: it holds no snapshot.`, 'Use another copy.');
  return document;
}
