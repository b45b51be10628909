import { MediaPool } from '../../media';
import { storedMediaSha } from '../../snapshots/capture/snapshotMedia';
import { nodesOf, type NodeType } from '../../snapshots/types';
import { can, PermissionFlagsBits } from '../botPower';
import { mappedId } from '../idMap';
import { markStale, type PlanContext } from './context';
import { isLottieSticker } from '../../discord/cdnFormats';

const NO_IMAGE = 'its image is not in the vault (it was not downloaded when the snapshot was taken)';

/**
 * The target id of a snapshot emoji or sticker, when it exists there: the
 * same id, or one an earlier restore created (a mapping whose object is gone
 * is marked stale and the expression is created again).
 */
function existing(ctx: PlanContext, type: 'emoji' | 'sticker', id: string): string | undefined {
  const live = nodesOf(ctx.target, type as NodeType);
  if (live.has(id)) return id;
  const mapped = mappedId(ctx.vault, type, id, ctx.plan.targetGuildId);
  if (mapped && live.has(mapped)) return mapped;
  if (mapped) markStale(ctx.plan, type, id, mapped);
  return undefined;
}

function noCreate(ctx: PlanContext): string | undefined {
  const { power } = ctx;
  return can(power, PermissionFlagsBits.CreateGuildExpressions) || can(power, PermissionFlagsBits.ManageGuildExpressions) ? undefined : 'the bot lacks the CREATE_GUILD_EXPRESSIONS permission';
}

/**
 * Emojis and stickers missing from the target are created again from the
 * image the snapshot stored in the media pool (one request each). They are
 * never deleted or edited: an extra one harms nothing. In another server, one
 * of the same name that is already there counts as the same.
 */
export function planExpressions(ctx: PlanContext): void {
  const { source, target, plan, vault } = ctx;
  const pool = new MediaPool(vault);
  const liveEmojiNames = new Set([...nodesOf(target, 'emoji').values()].map((e) => String(e.name)));
  for (const [id, emoji] of nodesOf(source, 'emoji')) {
    if (emoji.managed || existing(ctx, 'emoji', id)) continue;
    const name = String(emoji.name);
    if (!plan.inPlace && !mappedId(vault, 'emoji', id, plan.targetGuildId) && liveEmojiNames.has(name)) continue; // the target has its own :name:
    const sha256 = storedMediaSha(pool, 'emoji', id, 'image');
    const blocked = noCreate(ctx) ?? (sha256 ? undefined : NO_IMAGE);
    plan.actions.push({ kind: 'emoji.create', label: `:${name}:`, detail: 'recreate from the stored image', sourceId: id, data: { name, roles: ((emoji.roles as unknown[] | undefined) ?? []).map(String), animated: emoji.animated === true, sha256 }, blocked });
  }
  const liveStickerNames = new Set([...nodesOf(target, 'sticker').values()].map((s) => String(s.name)));
  for (const [id, sticker] of nodesOf(source, 'sticker')) {
    if (existing(ctx, 'sticker', id)) continue;
    const name = String(sticker.name);
    if (!plan.inPlace && !mappedId(vault, 'sticker', id, plan.targetGuildId) && liveStickerNames.has(name)) continue;
    const sha256 = storedMediaSha(pool, 'sticker', id, 'image');
    const lottie = isLottieSticker(sticker.format_type) ? 'a Lottie sticker: Discord lets only verified and partnered servers upload those' : undefined;
    const blocked = noCreate(ctx) ?? lottie ?? (sha256 ? undefined : NO_IMAGE);
    const data = { name, description: String(sticker.description ?? ''), tags: String(sticker.tags ?? name), formatType: Number(sticker.format_type ?? 1), sha256 };
    plan.actions.push({ kind: 'sticker.create', label: `sticker ${name}`, detail: 'recreate from the stored image', sourceId: id, data, blocked });
  }
}
