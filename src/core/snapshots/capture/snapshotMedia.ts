import type { DiscordClient } from '../../discord/discordClient';
import { downloadReference, MediaPool, type MediaRef } from '../../media';
import { Job } from '../../job';
import type { StructureState } from '../types';
import { imageExtension, stickerExtension } from '../../discord/cdnFormats';
import { formatCount, partOf, plural } from '../../text';

/**
 * The images and sounds a structure state points at, as media references.
 * The slot carries Discord's image hash, so an old icon stays referenced
 * (and kept by garbage collection) after the server changes it: old
 * snapshots still show and restore their own.
 */
export function structureMediaRefs(state: StructureState, cdnBaseUrl: string): MediaRef[] {
  const refs: MediaRef[] = [];
  const cdn = cdnBaseUrl.replace(/\/+$/, '');
  const image = (hash: string) => `${hash}.${imageExtension(hash)}`;
  const add = (ownerKind: string, ownerId: string, slot: string, sourceUrl: string) => refs.push({ ownerKind, ownerId, slot, sourceUrl });
  for (const [id, guild] of state.nodes.get('guild') ?? []) {
    const folders: Record<string, string> = { icon: 'icons', banner: 'banners', splash: 'splashes', discovery_splash: 'discovery-splashes' };
    for (const [field, folder] of Object.entries(folders)) {
      const hash = guild[field];
      if (typeof hash === 'string' && hash) add('guild', id, `${field}:${hash}`, `${cdn}/${folder}/${id}/${image(hash)}`);
    }
  }
  for (const [id, role] of state.nodes.get('role') ?? []) {
    if (typeof role.icon === 'string' && role.icon) add('role', id, `icon:${role.icon}`, `${cdn}/role-icons/${id}/${image(role.icon)}`);
  }
  for (const [id, emoji] of state.nodes.get('emoji') ?? []) add('emoji', id, 'image', `${cdn}/emojis/${id}.${emoji.animated ? 'gif' : 'png'}`);
  for (const [id, sticker] of state.nodes.get('sticker') ?? []) add('sticker', id, 'image', `${cdn}/stickers/${id}.${stickerExtension(sticker.format_type)}`);
  for (const [id, event] of state.nodes.get('scheduled_event') ?? []) {
    if (typeof event.image === 'string' && event.image) add('scheduled_event', id, `image:${event.image}`, `${cdn}/guild-events/${id}/${image(event.image)}`);
  }
  for (const [id, webhook] of state.nodes.get('webhook') ?? []) {
    if (typeof webhook.avatar === 'string' && webhook.avatar) add('webhook', id, `avatar:${webhook.avatar}`, `${cdn}/avatars/${id}/${image(webhook.avatar)}`);
  }
  for (const [id] of state.nodes.get('soundboard_sound') ?? []) add('soundboard_sound', id, 'sound', `${cdn}/soundboard-sounds/${id}`);
  return refs;
}

export interface MediaTally {
  stored: number;
  failed: number;
  skipped: number;
}

/**
 * Downloads into the pool what a snapshot points at and the pool does not
 * hold yet (an unchanged server downloads nothing). A failed download is
 * recorded on its reference and never fails the snapshot.
 */
export async function storeStructureMedia(
  pool: MediaPool,
  client: DiscordClient,
  state: StructureState,
  options: { maxBytes?: number } = {},
  job = new Job(),
): Promise<MediaTally> {
  const tally: MediaTally = { stored: 0, failed: 0, skipped: 0 };
  const todo = structureMediaRefs(state, client.cdnBaseUrl).filter((ref) => {
    const known = pool.referenceState(ref);
    return !known || known.status === 'pending' || known.status === 'failed';
  });
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const ref = todo[next++];
      const outcome = await downloadReference(pool, client.forJob(job), ref, { maxBytes: options.maxBytes, signal: job.signal });
      tally[outcome.status]++;
      job.progress({ phase: 'snapshot', message: `images (${formatCount(tally.stored + tally.failed + tally.skipped)} of ${formatCount(todo.length)})`, done: next, total: todo.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, todo.length) }, worker));
  if (tally.failed) job.log('warn', `snapshot: ${partOf(tally.failed, todo.length, 'image')} could not be downloaded; they are retried on the next snapshot`);
  return tally;
}

/** The pool's file for a media reference, when it was stored. */
export function storedMediaSha(pool: MediaPool, ownerKind: string, ownerId: string, slot: string): string | undefined {
  const ref = pool.referenceState({ ownerKind, ownerId, slot });
  return ref?.status === 'stored' ? ref.sha256 : undefined;
}
