/** Image data URIs in request bodies (icons, avatars, emojis): stored on the CDN under a content hash. */
import { createHash } from 'node:crypto';
import { invalidFormBody } from '../http/apiError';
import type { World } from '../world/world';

/** Stores a `data:image/...;base64,` URI under `${prefix}/${hash}` and returns the hash (null for null). */
export function storeImage(world: World, field: string, prefix: (hash: string) => string, dataUri: unknown): string | null {
  if (dataUri === null) return null;
  const m = typeof dataUri === 'string' ? /^data:(image\/(png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/.exec(dataUri) : null;
  const bytes = m ? Buffer.from(m[3], 'base64') : undefined;
  if (!m || !bytes || bytes.length === 0) throw invalidFormBody([{ path: [field], code: 'IMAGE_INVALID', message: 'Invalid image data' }]);
  const hash = (m[2] === 'gif' ? 'a_' : '') + createHash('md5').update(bytes).digest('hex');
  world.uploadedFiles.set(prefix(hash), { bytes, contentType: m[1] });
  return hash;
}
