/**
 * The CDN: attachments (signed URLs that expire, like Discord's), avatars, guild
 * icons and banners, role icons, emojis and stickers. Files are generated from
 * their key on each request; nothing is stored.
 */
import type { World } from '../world/world';
import { attachmentSignature } from '../routes/present';
import { contentTypeOf, fileBytes } from './files';

export interface CdnResponse {
  status: number;
  body: Buffer | string;
  contentType: string;
  /** Route template for the request log. */
  route: string;
}

const GONE = 'This content is no longer available.';

export function serveCdn(world: World, path: string, search: URLSearchParams, nowMs = Date.now()): CdnResponse {
  const attachment = /^\/attachments\/(\d+)\/(\d+)\/([^/]+)$/.exec(path);
  if (attachment) return serveAttachment(world, path, attachment[1], attachment[2], search, nowMs);
  const route = `/${path.split('/')[1] ?? ''}`;
  const key = path.replace(/^\//, '').replace(/\.(png|jpe?g|webp|gif|json)$/i, '');
  const uploaded = world.uploadedFiles.get(key);
  if (uploaded) return { status: 200, body: uploaded.bytes, contentType: uploaded.contentType, route };
  const spec = world.assetFiles.get(key);
  if (!spec) return notFound(route);
  return { status: 200, body: fileBytes(spec), contentType: contentTypeOf(spec), route };
}

function serveAttachment(world: World, path: string, channelId: string, attachmentId: string, search: URLSearchParams, nowMs: number): CdnResponse {
  const route = '/attachments/{channel_id}/{attachment_id}/{filename}';
  const ex = search.get('ex');
  const is = search.get('is');
  const hm = search.get('hm');
  // Unsigned, tampered or expired URLs: 404, as Discord's CDN answers.
  if (!ex || !is || !hm || hm !== attachmentSignature(world, path, ex, is)) return { status: 404, body: GONE, contentType: 'text/plain', route };
  if (parseInt(ex, 16) * 1000 < nowMs) return { status: 404, body: GONE, contentType: 'text/plain', route };
  const uploaded = world.uploadedFiles.get(`attachments/${channelId}/${attachmentId}`);
  if (uploaded) return { status: 200, body: uploaded.bytes, contentType: uploaded.contentType, route };
  const store = world.messageStore(channelId);
  const owner = store?.attachmentOwner(attachmentId);
  const spec = owner && store!.attachmentFile(owner.index, owner.k);
  if (!spec) return notFound(route);
  return { status: 200, body: fileBytes(spec), contentType: contentTypeOf(spec), route };
}

function notFound(route: string): CdnResponse {
  return { status: 404, body: '404: Not Found', contentType: 'text/plain', route };
}
