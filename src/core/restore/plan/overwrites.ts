import { toBits } from '../../snapshots/permissions';
import { nodesOf, type NodeData } from '../../snapshots/types';
import { can, PermissionFlagsBits, ungrantable } from '../botPower';
import type { RestoreAction } from '../types';
import { channelLabelOf, type PlanContext } from './context';
import { OverwriteType } from 'discord-api-types/v10';

/** What the bot needs in a channel to go on writing to it (its overwrites, threads, settings). */
const BOT_NEEDS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ManageRoles;

/**
 * The order a channel's overwrites are written in, so the bot never locks
 * itself out of a channel it still has to write: first what grants the bot
 * access (its member or role overwrites), then everyone else's, then
 * @everyone (typically the deny that makes the channel private), and last an
 * overwrite that takes the bot's own access away, if the snapshot has one.
 */
function writeRank(ctx: PlanContext, overwrite: NodeData): number {
  const subject = String(overwrite.id);
  const isRole = Number(overwrite.type) === OverwriteType.Role;
  const forBot = isRole ? ctx.power.roleIds.includes(ctx.plan.matches.role[subject] ?? '') : subject === ctx.power.botId;
  if (forBot) return (toBits(overwrite.deny as string) & BOT_NEEDS) !== 0n ? 3 : 0;
  return isRole && subject === ctx.source.guildId ? 2 : 1;
}

export async function planOverwrites(ctx: PlanContext): Promise<void> {
  const { source, target, plan, power } = ctx;
  const noManage = can(power, PermissionFlagsBits.ManageRoles) ? undefined : 'the bot lacks the MANAGE_ROLES permission (needed to write permission overwrites)';
  const byChannel = new Map<string, NodeData[]>();
  for (const overwrite of nodesOf(source, 'overwrite').values()) {
    const list = byChannel.get(String(overwrite.channel_id)) ?? [];
    list.push(overwrite);
    byChannel.set(String(overwrite.channel_id), list);
  }
  const liveOverwrites = nodesOf(target, 'overwrite');
  const roleName = (id: string) => (id === source.guildId ? '@everyone' : `@${String(nodesOf(source, 'role').get(id)?.name ?? 'unknown-role')}`);
  for (const [channelId, channel] of nodesOf(source, 'channel')) {
    if (!ctx.willExist.channel.has(channelId)) continue;
    const targetChannelId = plan.matches.channel[channelId];
    const wanted = new Set<string>();
    const puts: { rank: number; action: RestoreAction }[] = [];
    for (const overwrite of byChannel.get(channelId) ?? []) {
      const subject = String(overwrite.id);
      const isRole = Number(overwrite.type) === OverwriteType.Role;
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
      const action: RestoreAction = {
        kind: 'overwrite.put',
        label,
        detail: targetChannelId && targetSubject && liveOverwrites.has(`${targetChannelId}/${targetSubject}`) ? 'allow/deny' : 'add',
        sourceId: channelId,
        data: { subjectSourceId: subject, type: Number(overwrite.type), allow: String(overwrite.allow), deny: String(overwrite.deny) },
        blocked,
      };
      puts.push({ rank: writeRank(ctx, overwrite), action });
    }
    // Stable sort: within a rank, the snapshot's order.
    plan.actions.push(...puts.sort((a, b) => a.rank - b.rank).map((p) => p.action));
    if (targetChannelId) planOverwriteDeletes(ctx, channelId, channel, targetChannelId, wanted, noManage);
  }
}

/** Overwrites of a matched channel that the snapshot lacks: deleted when pruning, listed as kept otherwise. */
function planOverwriteDeletes(ctx: PlanContext, channelId: string, channel: NodeData, targetChannelId: string, wanted: Set<string>, noManage: string | undefined): void {
  const { target, plan, power } = ctx;
  for (const have of nodesOf(target, 'overwrite').values()) {
    if (String(have.channel_id) !== targetChannelId || wanted.has(String(have.id))) continue;
    const subject = String(have.id);
    // Never take away the bot's own access: the rest of the restore needs it.
    if (subject === power.botId || power.roleIds.includes(subject)) continue;
    const name = Number(have.type) === OverwriteType.Role ? `@${String(nodesOf(target, 'role').get(subject)?.name ?? subject)}` : `member ${subject}`;
    const label = `${channelLabelOf(channel)}: ${name}`;
    if (!plan.prune) {
      plan.kept.push({ kind: 'overwrite', label, targetId: `${targetChannelId}/${subject}` });
      continue;
    }
    plan.actions.push({
      kind: 'overwrite.delete',
      label,
      detail: 'not in the snapshot',
      sourceId: channelId,
      targetId: subject,
      blocked: noManage ?? ungrantable(power, toBits(have.allow as string) | toBits(have.deny as string)),
    });
  }
}
