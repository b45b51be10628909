import type { DiscordClient } from '../discord/discordClient';
import { channelLabel } from '../discord/channelLabel';
import { GuildVaultError } from '../errors';
import { Job } from '../job';
import { captureLiveState } from '../snapshots/capture/captureLiveState';
import { canonicalJson } from '../snapshots/canonical';
import { loadState } from '../snapshots/chain';
import { isUnreadable, nodesOf, type NodeData, type StructureState } from '../snapshots/types';
import { toBits } from '../snapshots/permissions';
import { MediaPool } from '../media';
import { storedMediaSha } from '../snapshots/capture/snapshotMedia';
import type { Vault } from '../vault';
import { can, outranked, PermissionFlagsBits, readBotPower, ungrantable, type BotPower } from './botPower';
import { mappedId } from './idMap';
import type { RestoreAction, RestoreInclude, RestorePlan } from './types';

type Json = Record<string, unknown>;

export interface PlanRestoreOptions {
  snapshotId: number;
  targetGuildId: string;
  /** Optional parts (default none: bans are re-applied only when asked). */
  include?: RestoreInclude[];
}

/** Role properties a restore writes (icons need an upload and are left out). */
const ROLE_FIELDS = ['name', 'permissions', 'color', 'hoist', 'mentionable', 'unicode_emoji'] as const;
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
/** Channel types the API can create in a server. */
const CREATABLE_CHANNEL_TYPES = new Set([0, 2, 4, 5, 13, 15, 16]);

/** Everything the planner compares: the snapshot, the server now, and what the bot may do there. */
interface PlanContext {
  vault: Vault;
  source: StructureState;
  target: StructureState;
  targetRoles: Map<string, Json>; // raw roles, with positions
  power: BotPower;
  plan: RestorePlan;
  /** Source roles/channels that will exist after the plan runs (matched or created unblocked). */
  willExist: { role: Set<string>; channel: Set<string> };
  memberPresent: (userId: string) => Promise<boolean>;
}

/**
 * Compares a snapshot with the target server as it is now and lists, in the
 * order they must run, the actions that make the server match the snapshot:
 * roles first (overwrites need them), categories before their channels,
 * positions after everything exists, overwrites, then bans (only when asked).
 * Nothing is written to Discord or the vault.
 */
export async function planRestore(vault: Vault, client: DiscordClient, options: PlanRestoreOptions, job = new Job()): Promise<RestorePlan> {
  const source = loadState(vault, options.snapshotId);
  const targetGuildId = options.targetGuildId;
  const api = client.forJob(job);
  job.progress({ phase: 'restore', message: 'reading the target server' });
  const target = await captureLiveState(api, targetGuildId, { archivedThreads: false }, job);
  const rawRoles = (target.guild.roles as Json[] | undefined) ?? (await api.get<Json[]>(`/guilds/${targetGuildId}/roles`));
  const power = await readBotPower(api, target.guild, rawRoles, job.signal);
  const plan: RestorePlan = {
    snapshotId: options.snapshotId,
    sourceGuildId: source.guildId,
    targetGuildId,
    inPlace: source.guildId === targetGuildId,
    include: [...(options.include ?? [])],
    matches: { role: {}, channel: {} },
    actions: [],
    notes: [],
  };
  const members = new Map<string, boolean>();
  const ctx: PlanContext = {
    vault,
    source,
    target,
    targetRoles: new Map(rawRoles.map((r) => [String(r.id), r])),
    power,
    plan,
    willExist: { role: new Set(), channel: new Set() },
    memberPresent: async (userId) => {
      if (!members.has(userId)) members.set(userId, await isMember(api, targetGuildId, userId, job.signal));
      return members.get(userId)!;
    },
  };
  match(ctx);
  planRoles(ctx);
  planChannels(ctx);
  await planOverwrites(ctx);
  planBans(ctx);
  planEmojis(ctx);
  plan.notes.push('Threads, stickers, role icons, server settings and messages are not restored; emojis are only re-created, never changed or deleted.');
  return plan;
}

async function isMember(client: DiscordClient, guildId: string, userId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(`/guilds/${guildId}/members/${userId}`, { signal });
    return true;
  } catch (error) {
    if (error instanceof GuildVaultError && error.code === 'UNKNOWN_RESOURCE') return false;
    throw error;
  }
}

/** Source objects that exist in the target: same id (in place), @everyone, or created by an earlier restore. */
function match(ctx: PlanContext): void {
  const { source, target, plan, vault } = ctx;
  for (const kind of ['role', 'channel'] as const) {
    const live = nodesOf(target, kind);
    for (const id of nodesOf(source, kind).keys()) {
      let targetId: string | undefined;
      if (kind === 'role' && id === source.guildId) targetId = target.guildId;
      else if (live.has(id)) targetId = id;
      else {
        const mapped = mappedId(vault, kind, id, plan.targetGuildId);
        if (mapped && live.has(mapped)) targetId = mapped;
      }
      if (!targetId && kind === 'role') targetId = sameManagedRole(nodesOf(source, 'role').get(id)!, live);
      if (targetId) {
        plan.matches[kind][id] = targetId;
        ctx.willExist[kind].add(id);
      }
    }
  }
}

/**
 * In another server, an app's role is the one Discord made for the same app
 * (same tags: bot id, integration, booster): matching it keeps the overwrites
 * that name it.
 */
function sameManagedRole(role: NodeData, live: Map<string, NodeData>): string | undefined {
  if (!role.managed || !role.tags) return undefined;
  const tags = canonicalJson(role.tags);
  for (const [id, candidate] of live) if (candidate.managed && canonicalJson(candidate.tags ?? null) === tags) return id;
  return undefined;
}

function changedFields(fields: readonly string[], want: NodeData, have: NodeData): Json {
  const changes: Json = {};
  for (const field of fields) {
    if (want[field] === undefined) continue;
    if (canonicalJson(want[field]) !== canonicalJson(have[field] ?? null)) changes[field] = want[field];
  }
  return changes;
}

function roleBody(role: NodeData): Json {
  const body: Json = {};
  for (const field of ROLE_FIELDS) if (role[field] !== undefined) body[field] = role[field];
  return body;
}

function planRoles(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageRoles) ? undefined : 'the bot lacks the MANAGE_ROLES permission';
  const sourceRoles = nodesOf(source, 'role');
  const liveRoles = nodesOf(target, 'role');
  for (const [id, role] of sourceRoles) {
    const name = String(role.name);
    const targetId = plan.matches.role[id];
    if (!targetId) {
      if (role.managed) {
        plan.actions.push({ kind: 'role.create', label: `@${name}`, detail: 'recreate', sourceId: id, blocked: 'a managed role (an app\'s or a boost role): only Discord creates it, when the app is added' });
        continue;
      }
      const blocked = noManage ?? (power.isOwner || power.roleIds.length ? undefined : outranked(power, 0, name)) ?? ungrantable(power, toBits(role.permissions as string));
      plan.actions.push({ kind: 'role.create', label: `@${name}`, detail: plan.inPlace ? 'recreate (deleted since the snapshot)' : 'create', sourceId: id, data: roleBody(role), blocked });
      if (!blocked) ctx.willExist.role.add(id);
      continue;
    }
    const have = liveRoles.get(targetId)!;
    const isEveryone = id === source.guildId;
    const changes = changedFields(isEveryone ? ['permissions'] : ROLE_FIELDS, role, have);
    if (Object.keys(changes).length === 0) continue;
    const position = Number(ctx.targetRoles.get(targetId)?.position ?? 0);
    const blocked =
      noManage ??
      (isEveryone ? undefined : outranked(power, position, String(have.name))) ??
      (changes.permissions !== undefined ? ungrantable(power, toBits(changes.permissions as string) ^ toBits(have.permissions as string)) : undefined);
    plan.actions.push({ kind: 'role.update', label: isEveryone ? '@everyone' : `@${name}`, detail: Object.keys(changes).join(', '), sourceId: id, targetId, data: changes, blocked });
  }
  const kept = new Set(Object.values(plan.matches.role));
  for (const [id, have] of liveRoles) {
    if (kept.has(id) || id === target.guildId || have.managed || power.roleIds.includes(id)) continue;
    const name = String(have.name);
    const blocked = noManage ?? outranked(power, Number(ctx.targetRoles.get(id)?.position ?? 0), name);
    plan.actions.push({ kind: 'role.delete', label: `@${name}`, detail: 'not in the snapshot', targetId: id, blocked });
  }
  const order = (nodesOf(source, 'role_order').values().next().value?.ids as string[] | undefined) ?? [];
  if (needsRoleReorder(ctx, order)) {
    plan.actions.push({
      kind: 'role.reorder',
      label: 'role order',
      detail: power.isOwner ? 'as in the snapshot' : `as in the snapshot, for the roles below @${power.topRoleName ?? 'the bot'}`,
      data: { order: order.filter((id) => id !== source.guildId), botRoleIds: power.roleIds, botOwns: power.isOwner },
      blocked: noManage,
    });
  }
}

/** Whether the matched roles are ranked differently from the snapshot, or new roles will need placing. */
function needsRoleReorder(ctx: PlanContext, order: string[]): boolean {
  const { plan, target } = ctx;
  if (plan.actions.some((a) => a.kind === 'role.create' && !a.blocked)) return true;
  const liveOrder = (nodesOf(target, 'role_order').values().next().value?.ids as string[] | undefined) ?? [];
  const rank = new Map(liveOrder.map((id, i) => [id, i]));
  const ranks = order.map((id) => plan.matches.role[id]).filter((id): id is string => !!id && rank.has(id)).map((id) => rank.get(id)!);
  return ranks.some((r, i) => i > 0 && r < ranks[i - 1]);
}

function channelLabelOf(channel: NodeData): string {
  return channelLabel({ name: String(channel.name), type: Number(channel.type) });
}

/** Forum tags without ids, or with the id of the target's tag of the same name (ids are per server). */
function tagsFor(tags: unknown, existing: unknown): unknown {
  if (!Array.isArray(tags)) return tags;
  const byName = new Map(((existing as Json[] | undefined) ?? []).map((t) => [String(t.name), t.id]));
  return (tags as Json[]).map(({ id: _id, ...tag }) => (byName.has(String(tag.name)) ? { id: byName.get(String(tag.name)), ...tag } : tag));
}

function withoutTagIds(tags: unknown): string {
  return canonicalJson(Array.isArray(tags) ? (tags as Json[]).map(({ id: _id, ...tag }) => tag) : (tags ?? null));
}

function planChannels(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageChannels) ? undefined : 'the bot lacks the MANAGE_CHANNELS permission';
  const liveChannels = nodesOf(target, 'channel');
  // Categories first: the channels created after them name them as parent.
  const sourceChannels = [...nodesOf(source, 'channel')].sort(([, a], [, b]) => Number(b.type === 4) - Number(a.type === 4));
  let moved = false;
  for (const [id, channel] of sourceChannels) {
    const type = Number(channel.type);
    const targetId = plan.matches.channel[id];
    if (!targetId) {
      const body: Json = { name: channel.name, type, position: channel.position };
      for (const field of CHANNEL_FIELDS) if (channel[field] !== undefined && channel[field] !== null) body[field] = channel[field];
      if (body.available_tags) body.available_tags = tagsFor(body.available_tags, []);
      const blocked = noManage ?? (CREATABLE_CHANNEL_TYPES.has(type) ? undefined : `channels of type ${type} cannot be created through the API`);
      plan.actions.push({ kind: 'channel.create', label: channelLabelOf(channel), detail: plan.inPlace ? 'recreate (deleted since the snapshot)' : 'create', sourceId: id, data: { body, parentSourceId: channel.parent_id ?? null }, blocked });
      if (!blocked) {
        ctx.willExist.channel.add(id);
        moved = true;
      }
      continue;
    }
    const have = liveChannels.get(targetId)!;
    const changes = changedFields(CHANNEL_FIELDS.filter((f) => f !== 'available_tags'), channel, have);
    if (channel.available_tags !== undefined && withoutTagIds(channel.available_tags) !== withoutTagIds(have.available_tags)) changes.available_tags = tagsFor(channel.available_tags, have.available_tags);
    if (type !== Number(have.type) && [0, 5].includes(type) && [0, 5].includes(Number(have.type))) changes.type = type;
    const wantParent = channel.parent_id ? (plan.matches.channel[String(channel.parent_id)] ?? null) : null;
    if (Number(channel.position) !== Number(have.position) || (wantParent ?? null) !== (have.parent_id ?? null) || (channel.parent_id && !wantParent)) moved = true;
    if (Object.keys(changes).length === 0) continue;
    plan.actions.push({ kind: 'channel.update', label: channelLabelOf(channel), detail: Object.keys(changes).join(', '), sourceId: id, targetId, data: changes, blocked: noManage });
  }
  const kept = new Set(Object.values(plan.matches.channel));
  for (const [id, have] of liveChannels) {
    if (kept.has(id)) continue;
    plan.actions.push({ kind: 'channel.delete', label: channelLabelOf(have), detail: 'not in the snapshot', targetId: id, blocked: noManage });
  }
  if (moved) {
    const entries = sourceChannels.filter(([id]) => ctx.willExist.channel.has(id)).map(([id, c]) => ({ sourceId: id, position: Number(c.position ?? 0), parentSourceId: c.parent_id ?? null }));
    plan.actions.push({ kind: 'channel.reorder', label: 'channel positions', detail: 'positions and categories as in the snapshot', data: { entries }, blocked: noManage });
  }
}

async function planOverwrites(ctx: PlanContext): Promise<void> {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageRoles) ? undefined : 'the bot lacks the MANAGE_ROLES permission (needed to write permission overwrites)';
  const sourceChannels = nodesOf(source, 'channel');
  const byChannel = new Map<string, NodeData[]>();
  for (const overwrite of nodesOf(source, 'overwrite').values()) {
    const list = byChannel.get(String(overwrite.channel_id)) ?? [];
    list.push(overwrite);
    byChannel.set(String(overwrite.channel_id), list);
  }
  const liveOverwrites = nodesOf(target, 'overwrite');
  const roleName = (id: string) => (id === source.guildId ? '@everyone' : `@${String(nodesOf(source, 'role').get(id)?.name ?? 'unknown-role')}`);
  for (const [channelId, channel] of sourceChannels) {
    if (!ctx.willExist.channel.has(channelId)) continue;
    const targetChannelId = plan.matches.channel[channelId];
    const wanted = new Set<string>();
    for (const overwrite of byChannel.get(channelId) ?? []) {
      const subject = String(overwrite.id);
      const isRole = Number(overwrite.type) === 0;
      const label = `${channelLabelOf(channel)}: ${isRole ? roleName(subject) : `member ${subject}`}`;
      // A role this plan creates has no target id yet: it is resolved when the action runs.
      const targetSubject: string | undefined = isRole ? (subject === source.guildId ? target.guildId : plan.matches.role[subject]) : subject;
      let blocked: string | undefined;
      if (isRole && !ctx.willExist.role.has(subject) && subject !== source.guildId) blocked = `${roleName(subject)} is not restored`;
      else if (!isRole && !(await ctx.memberPresent(subject))) blocked = 'the member is not in the server';
      blocked ??= noManage ?? ungrantable(power, toBits(overwrite.allow as string) | toBits(overwrite.deny as string));
      if (targetChannelId && targetSubject) {
        wanted.add(targetSubject);
        const have = liveOverwrites.get(`${targetChannelId}/${targetSubject}`);
        if (have && have.allow === overwrite.allow && have.deny === overwrite.deny) continue;
      }
      plan.actions.push({
        kind: 'overwrite.put',
        label,
        detail: targetChannelId && targetSubject && liveOverwrites.has(`${targetChannelId}/${targetSubject}`) ? 'allow/deny' : 'add',
        sourceId: channelId,
        data: { subjectSourceId: subject, type: Number(overwrite.type), allow: overwrite.allow, deny: overwrite.deny },
        blocked,
      });
    }
    if (!targetChannelId) continue;
    for (const have of liveOverwrites.values()) {
      if (String(have.channel_id) !== targetChannelId || wanted.has(String(have.id))) continue;
      const subject = String(have.id);
      // Never take away the bot's own access: the rest of the restore needs it.
      if (subject === power.botId || power.roleIds.includes(subject)) continue;
      const name = Number(have.type) === 0 ? `@${String(nodesOf(target, 'role').get(subject)?.name ?? subject)}` : `member ${subject}`;
      plan.actions.push({
        kind: 'overwrite.delete',
        label: `${channelLabelOf(channel)}: ${name}`,
        detail: 'not in the snapshot',
        sourceId: channelId,
        targetId: subject,
        blocked: noManage ?? ungrantable(power, toBits(have.allow as string) | toBits(have.deny as string)),
      });
    }
  }
}

function planBans(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const wantBans = plan.include.includes('bans');
  const wantUnbans = plan.include.includes('unbans');
  if (!wantBans && !wantUnbans) {
    if (nodesOf(source, 'ban').size) plan.notes.push('Bans are not re-applied unless asked (include "bans").');
    return;
  }
  if (isUnreadable(source.status.ban)) plan.notes.push(`The snapshot has no ban list (${source.status.ban.unreadable}).`);
  const noBan = can(power, PermissionFlagsBits.BanMembers) ? undefined : 'the bot lacks the BAN_MEMBERS permission';
  const live = nodesOf(target, 'ban');
  const userLabel = (ban: NodeData, id: string) => `user ${String((ban.user as Json | undefined)?.username ?? id)}`;
  if (wantBans) {
    for (const [userId, ban] of nodesOf(source, 'ban')) {
      if (live.has(userId)) continue;
      plan.actions.push({ kind: 'ban.put', label: userLabel(ban, userId), detail: 'ban', targetId: userId, data: { reason: ban.reason ?? null }, blocked: noBan });
    }
  }
  if (wantUnbans && !isUnreadable(source.status.ban)) {
    const kept = nodesOf(source, 'ban');
    for (const [userId, ban] of live) {
      if (kept.has(userId)) continue;
      plan.actions.push({ kind: 'ban.delete', label: userLabel(ban, userId), detail: 'unban (not banned in the snapshot)', targetId: userId, blocked: noBan });
    }
  }
}

/**
 * Emojis missing from the target are created again from the image the
 * snapshot stored in the media pool (one request each). Emojis are never
 * deleted or edited: an extra emoji harms nothing.
 */
function planEmojis(ctx: PlanContext): void {
  const { source, target, plan, power, vault } = ctx;
  const live = nodesOf(target, 'emoji');
  const liveNames = new Set([...live.values()].map((e) => String(e.name)));
  const canCreate = can(power, PermissionFlagsBits.CreateGuildExpressions) || can(power, PermissionFlagsBits.ManageGuildExpressions);
  const pool = new MediaPool(vault);
  for (const [id, emoji] of nodesOf(source, 'emoji')) {
    if (emoji.managed) continue;
    const mapped = mappedId(vault, 'emoji', id, plan.targetGuildId);
    if (live.has(id) || (mapped && live.has(mapped))) continue;
    const name = String(emoji.name);
    if (!plan.inPlace && !mapped && liveNames.has(name)) continue; // the target has its own :name:
    const sha256 = storedMediaSha(pool, 'emoji', id, 'image');
    const blocked = !canCreate
      ? 'the bot lacks the CREATE_GUILD_EXPRESSIONS permission'
      : !sha256
        ? 'its image is not in the vault (it was not downloaded when the snapshot was taken)'
        : undefined;
    plan.actions.push({ kind: 'emoji.create', label: `:${name}:`, detail: 'recreate from the stored image', sourceId: id, data: { name, roles: emoji.roles ?? [], animated: emoji.animated === true, sha256 }, blocked });
  }
}
