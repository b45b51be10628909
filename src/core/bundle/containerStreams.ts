import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancelled, GuildVaultError } from '../errors';
import { BundleError } from './bundleError';
import { compressor, decompressor } from './compression';
import { encodeHeader, type ContainerHeader, type OpenedContainer } from './container';
import { ByteReader } from './records';
import { SealStream, UnsealStream, type SealKeys } from './sealing';

/**
 * Writes a container: header, then the body compressed and (with keys) sealed. The file appears
 * under its name only when complete and flushed to disk (temp file, fsync, rename, fsync of the
 * folder), so a cancel or crash never leaves a half bundle that looks whole.
 */
export async function writeContainer(
  out: string,
  header: ContainerHeader,
  keys: SealKeys | undefined,
  body: AsyncIterable<Buffer>,
  options: { signal?: AbortSignal; force?: boolean },
): Promise<number> {
  refuseOverwrite(out, options.force);
  const dir = path.dirname(path.resolve(out));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(out)}.partial-${process.pid}`);
  const { bytes, digest } = encodeHeader(header);
  try {
    fs.writeFileSync(temp, bytes);
    const stages: Transform[] = [compressor(header.compression)];
    if (keys) stages.push(new SealStream(keys, digest));
    const file = fs.createWriteStream(temp, { flags: 'a' });
    await pipeline([Readable.from(body), ...stages, file] as unknown as NodeJS.ReadWriteStream[], { signal: options.signal });
    fsyncPath(temp);
    if (!options.force) refuseOverwrite(out, false); // it may have appeared meanwhile
    fs.renameSync(temp, out);
    fsyncPath(dir);
    return fs.statSync(out).size;
  } catch (error) {
    fs.rmSync(temp, { force: true });
    if (options.signal?.aborted) throw cancelled();
    throw error;
  }
}

function refuseOverwrite(out: string, force: boolean | undefined): void {
  if (!force && fs.existsSync(out)) {
    throw new GuildVaultError('INVALID_ARGUMENT', `${out} already exists.`, 'Choose another file name, or add --force to replace it.');
  }
}

function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
    if (!fs.statSync(target).isDirectory()) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** The body of a container as a byte reader: unsealed (with keys) and decompressed, errors named. */
export function readContainerBody(file: string, opened: OpenedContainer, keys: SealKeys | undefined, signal?: AbortSignal): ByteReader {
  const source = fs.createReadStream(file, { start: opened.bodyOffset, highWaterMark: 256 * 1024 });
  const stages: Transform[] = [];
  if (keys) stages.push(new UnsealStream(keys, opened.headerDigest, opened.bodyOffset));
  const inflate = decompressor(opened.header.compression);
  stages.push(inflate);
  // The pipeline's failure reaches the reader through `inflate`, the stream it iterates.
  void pipeline([source, ...stages] as NodeJS.ReadWriteStream[], { signal }).catch(() => undefined);
  return new ByteReader(translateErrors(inflate, signal));
}

async function* translateErrors(stream: AsyncIterable<Buffer>, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    if (error instanceof GuildVaultError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/unexpected end|truncat/i.test(message)) {
      throw new BundleError('BUNDLE_TRUNCATED', 'The bundle is truncated: its compressed contents end early.', 'The copy is incomplete. Use another copy, or copy it again.', { cause: error });
    }
    throw new BundleError('BUNDLE_DAMAGED', `The bundle is damaged: its compressed contents cannot be read (${message}).`, 'Bytes of the file were changed. Use another copy.', { cause: error });
  }
}
