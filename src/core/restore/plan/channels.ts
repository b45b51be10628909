import { canonicalJson } from '../../snapshots/canonical';
import { nodesOf } from '../../snapshots/types';
import { can, PermissionFlagsBits } from '../botPower';
import { changedFields, channelLabelOf, type Json, type PlanContext } from './context';
import { canConvertBetween, isCategory, isGuildChannel } from '../../discord/channelKinds';

/** Channel properties a restore writes; position and parent go through the reorder. */
const CHANNEL_FIELDS = [
  'name',
  'topic',
  'bitrate',
  'user_limit',
  'rate_limit_per_user',
  'nsfw',
  'rtc_region',
  'default_auto_archive_duration',
  'default_reaction_emoji',
  'available_tags',
  'default_sort_order',
  'default_forum_layout',
  'default_thread_rate_limit_per_user',
  'flags',
] as const;

/** Forum tags without ids, or with the id of the target's tag of the same name (ids are per server). */
export function tagsFor(tags: unknown, existing: unknown): unknown {
  if (!Array.isArray(tags)) return tags;
  const byName = new Map(((existing as Json[] | undefined) ?? []).map((t) => [String(t.name), t.id]));
  return (tags as Json[]).map(({ id: _id, ...tag }) => (byName.has(String(tag.name)) ? { id: byName.get(String(tag.name)), ...tag } : tag));
}

function withoutTagIds(tags: unknown): string {
  return canonicalJson(Array.isArray(tags) ? (tags as Json[]).map(({ id: _id, ...tag }) => tag) : (tags ?? null));
}

export function planChannels(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageChannels) ? undefined : 'the bot lacks the MANAGE_CHANNELS permission';
  const liveChannels = nodesOf(target, 'channel');
  // Categories first: the channels created after them name them as parent.
  const sourceChannels = [...nodesOf(source, 'channel')].sort(([, a], [, b]) => Number(isCategory(Number(b.type))) - Number(isCategory(Number(a.type))));
  let moved = false;
  for (const [id, channel] of sourceChannels) {
    const type = Number(channel.type);
    const targetId = plan.matches.channel[id];
    if (!targetId) {
      const body: Json = { name: channel.name, type, position: channel.position };
      for (const field of CHANNEL_FIELDS) if (channel[field] !== undefined && channel[field] !== null) body[field] = channel[field];
      if (body.available_tags) body.available_tags = tagsFor(body.available_tags, []);
      const blocked = noManage ?? (isGuildChannel(type) ? undefined : `channels of type ${type} cannot be created through the API`);
      plan.actions.push({ kind: 'channel.create', label: channelLabelOf(channel), detail: plan.inPlace ? 'recreate (deleted since the snapshot)' : 'create', sourceId: id, data: { body, parentSourceId: channel.parent_id ? String(channel.parent_id) : null }, blocked });
      if (!blocked) {
        ctx.willExist.channel.add(id);
        moved = true;
      }
      continue;
    }
    const have = liveChannels.get(targetId)!;
    const changes = changedFields(CHANNEL_FIELDS.filter((f) => f !== 'available_tags'), channel, have);
    if (channel.available_tags !== undefined && withoutTagIds(channel.available_tags) !== withoutTagIds(have.available_tags)) changes.available_tags = tagsFor(channel.available_tags, have.available_tags);
    if (canConvertBetween(Number(have.type), type)) changes.type = type;
    const wantParent = channel.parent_id ? (plan.matches.channel[String(channel.parent_id)] ?? null) : null;
    if (Number(channel.position) !== Number(have.position) || (wantParent ?? null) !== (have.parent_id ?? null) || (channel.parent_id && !wantParent)) moved = true;
    if (Object.keys(changes).length === 0) continue;
    plan.actions.push({ kind: 'channel.update', label: channelLabelOf(channel), detail: Object.keys(changes).join(', '), sourceId: id, targetId, data: changes, blocked: noManage });
  }
  const matched = new Set(Object.values(plan.matches.channel));
  for (const [id, have] of liveChannels) {
    if (matched.has(id)) continue;
    if (!plan.prune) plan.kept.push({ kind: 'channel', label: channelLabelOf(have), targetId: id });
    else plan.actions.push({ kind: 'channel.delete', label: channelLabelOf(have), detail: 'not in the snapshot, with its messages', targetId: id, blocked: noManage });
  }
  if (moved) {
    const entries = sourceChannels.filter(([id]) => ctx.willExist.channel.has(id)).map(([id, c]) => ({ sourceId: id, position: Number(c.position ?? 0), parentSourceId: c.parent_id ? String(c.parent_id) : null }));
    plan.actions.push({ kind: 'channel.reorder', label: 'channel positions', detail: 'positions and categories as in the snapshot', data: { entries }, blocked: noManage });
  }
}
