import { MediaPool } from '../../media';
import { storedMediaSha } from '../../snapshots/capture/snapshotMedia';
import { mappedId } from '../idMap';
import type { ImageUpload } from '../types';
import type { PlanContext } from './context';


export type ImageWish = { status: 'same' } | { status: 'upload'; upload: ImageUpload } | { status: 'clear' } | { status: 'missing' };

/**
 * What to do about one image field (a role icon, the server icon or banner):
 * the target already shows it (same hash, or the hash Discord gave an earlier
 * upload of the same file), it must be uploaded from the pool, cleared, or it
 * cannot be restored because the snapshot's file is not in the vault.
 */
export function imageWish(ctx: PlanContext, ownerKind: string, ownerId: string, field: string, want: unknown, have: unknown): ImageWish {
  const wanted = typeof want === 'string' && want ? want : null;
  const current = typeof have === 'string' && have ? have : null;
  if (wanted === current) return { status: 'same' };
  if (!wanted) return { status: 'clear' };
  const sha256 = storedMediaSha(new MediaPool(ctx.vault), ownerKind, ownerId, `${field}:${wanted}`);
  if (!sha256) return { status: 'missing' };
  const key = `${ownerKind}/${ownerId}/${field}/${sha256}`;
  if (current && mappedId(ctx.vault, 'image', key, ctx.plan.targetGuildId) === current) return { status: 'same' };
  return { status: 'upload', upload: { sha256, key } };
}
