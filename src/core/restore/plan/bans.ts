import { isUnreadable, nodesOf, type NodeData } from '../../snapshots/types';
import { can, PermissionFlagsBits } from '../botPower';
import type { Json, PlanContext } from './context';

export function planBans(ctx: PlanContext): void {
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
      plan.actions.push({ kind: 'ban.put', label: userLabel(ban, userId), detail: 'ban', targetId: userId, data: { reason: typeof ban.reason === 'string' ? ban.reason : null }, blocked: noBan });
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
