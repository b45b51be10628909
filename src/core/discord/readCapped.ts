import { formatBytes } from '../text';

/** An answer larger than the reader accepts (found from Content-Length or while reading). */
export class TooLarge extends Error {
  constructor(
    readonly maxBytes: number,
    readonly announcedBytes: number | undefined,
  ) {
    super(`larger than ${formatBytes(maxBytes)}`);
  }

  describe(): string {
    return this.announcedBytes !== undefined ? formatBytes(this.announcedBytes) : `more than ${formatBytes(this.maxBytes)}`;
  }
}

/**
 * Reads a response body (a Node stream or a web stream) into one Buffer, but
 * never more than `maxBytes`: an announced larger size is refused before
 * reading, and a body that grows past the cap is cancelled at that point. So
 * whatever a server sends, memory stays bounded.
 */
export async function readCapped(body: unknown, contentLength: string | null, maxBytes: number): Promise<Buffer> {
  const announced = contentLength === null ? undefined : Number(contentLength);
  if (announced !== undefined && Number.isFinite(announced) && announced > maxBytes) {
    await stop(body);
    throw new TooLarge(maxBytes, announced);
  }
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += bytes.length;
    if (size > maxBytes) {
      tooLarge = true;
      break; // ends the iteration, which closes the stream
    }
    chunks.push(bytes);
  }
  if (tooLarge) {
    await stop(body);
    throw new TooLarge(maxBytes, undefined);
  }
  return Buffer.concat(chunks, size);
}

async function stop(body: unknown): Promise<void> {
  const stream = body as { cancel?: () => Promise<void>; destroy?: () => void; on?: (event: string, listener: () => void) => void; destroyed?: boolean; locked?: boolean } | null;
  try {
    if (typeof stream?.destroy === 'function') {
      if (stream.destroyed) return;
      stream.on?.('error', () => {}); // destroying an unread undici body emits an abort error nobody waits for
      stream.destroy();
    }
    else if (typeof stream?.cancel === 'function' && !stream.locked) await stream.cancel();
  } catch {
    // already closed
  }
}
