import { toBits } from '../../snapshots/permissions';
import { nodesOf, type NodeData } from '../../snapshots/types';
import { can, outranked, PermissionFlagsBits, ungrantable } from '../botPower';
import { changedFields, hasFeature, type Json, type PlanContext } from './context';
import { imageWish } from './images';

/** Role properties a restore writes; the icon is an upload of its own (see roleIcon). */
const ROLE_FIELDS = ['name', 'permissions', 'color', 'hoist', 'mentionable', 'unicode_emoji'] as const;

function roleBody(role: NodeData): Json {
  const body: Json = {};
  for (const field of ROLE_FIELDS) if (role[field] !== undefined) body[field] = role[field];
  return body;
}

/**
 * The role's icon as part of its create/update data (`icon` = an upload from
 * the pool, or null), or why it cannot be set: Discord shows role icons only
 * in servers with the ROLE_ICONS feature (boost level 2).
 */
function roleIcon(ctx: PlanContext, sourceId: string, role: NodeData, have: NodeData | undefined): { data?: Json; blocked?: string } {
  const wish = imageWish(ctx, 'role', sourceId, 'icon', role.icon, have?.icon);
  if (wish.status === 'same' || (wish.status === 'clear' && !have)) return {};
  if (!hasFeature(ctx, 'ROLE_ICONS')) return wish.status === 'clear' ? { data: { icon: null } } : { blocked: 'the server lacks the ROLE_ICONS feature (boost level 2): Discord refuses role icons there' };
  if (wish.status === 'missing') return { blocked: 'its icon is not in the vault (it was not downloaded when the snapshot was taken)' };
  return { data: { icon: wish.status === 'clear' ? null : wish.upload } };
}

export function planRoles(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageRoles) ? undefined : 'the bot lacks the MANAGE_ROLES permission';
  const liveRoles = nodesOf(target, 'role');
  for (const [id, role] of nodesOf(source, 'role')) {
    const name = String(role.name);
    const targetId = plan.matches.role[id];
    if (!targetId) {
      if (role.managed) {
        plan.actions.push({ kind: 'role.create', label: `@${name}`, detail: 'recreate', sourceId: id, data: {}, blocked: "a managed role (an app's or a boost role): only Discord creates it, when the app is added" });
        continue;
      }
      const blocked = noManage ?? (power.isOwner || power.roleIds.length ? undefined : outranked(power, 0, name)) ?? ungrantable(power, toBits(role.permissions as string));
      const icon = roleIcon(ctx, id, role, undefined);
      plan.actions.push({ kind: 'role.create', label: `@${name}`, detail: plan.inPlace ? 'recreate (deleted since the snapshot)' : 'create', sourceId: id, data: { ...roleBody(role), ...icon.data }, blocked });
      if (icon.blocked) plan.actions.push({ kind: 'role.update', label: `@${name} icon`, detail: 'icon', sourceId: id, data: {}, blocked: icon.blocked });
      if (!blocked) ctx.willExist.role.add(id);
      continue;
    }
    const have = liveRoles.get(targetId)!;
    const isEveryone = id === source.guildId;
    const changes = changedFields(isEveryone ? ['permissions'] : ROLE_FIELDS, role, have);
    const icon = isEveryone || role.managed ? {} : roleIcon(ctx, id, role, have);
    const position = Number(ctx.targetRoles.get(targetId)?.position ?? 0);
    const hierarchy = noManage ?? (isEveryone ? undefined : outranked(power, position, String(have.name)));
    if (icon.blocked) plan.actions.push({ kind: 'role.update', label: `@${name} icon`, detail: 'icon', sourceId: id, targetId, data: {}, blocked: icon.blocked });
    if (Object.keys(changes).length === 0 && !icon.data) continue;
    const blocked = hierarchy ?? (changes.permissions !== undefined ? ungrantable(power, toBits(changes.permissions as string) ^ toBits(have.permissions as string)) : undefined);
    const detail = [...Object.keys(changes), ...(icon.data ? ['icon'] : [])].join(', ');
    plan.actions.push({ kind: 'role.update', label: isEveryone ? '@everyone' : `@${name}`, detail, sourceId: id, targetId, data: { ...changes, ...icon.data }, blocked });
  }
  planRoleDeletes(ctx, noManage);
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

/** Roles of the target that the snapshot lacks: deleted when the plan prunes, listed as kept otherwise. */
function planRoleDeletes(ctx: PlanContext, noManage: string | undefined): void {
  const { target, plan, power } = ctx;
  const matched = new Set(Object.values(plan.matches.role));
  for (const [id, have] of nodesOf(target, 'role')) {
    if (matched.has(id) || id === target.guildId || have.managed || power.roleIds.includes(id)) continue;
    const name = String(have.name);
    if (!plan.prune) {
      plan.kept.push({ kind: 'role', label: `@${name}`, targetId: id });
      continue;
    }
    const blocked = noManage ?? outranked(power, Number(ctx.targetRoles.get(id)?.position ?? 0), name);
    plan.actions.push({ kind: 'role.delete', label: `@${name}`, detail: 'not in the snapshot', targetId: id, blocked });
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
