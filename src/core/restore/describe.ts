import type { RestoreAction, RestoreActionKind, RestorePlan, RestoreReport } from './types';
import { formatCount, plural } from '../text';

const DESTRUCTIVE_WORDS: Partial<Record<RestoreActionKind, [string, string, string]>> = {
  'role.delete': ['delete', 'role', 'roles'],
  'channel.delete': ['delete', 'channel (with its messages)', 'channels (with their messages)'],
  'overwrite.delete': ['delete', 'permission overwrite', 'permission overwrites'],
  'ban.put': ['ban', 'user', 'users'],
  'ban.delete': ['unban', 'user', 'users'],
};

/** "delete 2 roles, ban 3 users": what a confirmation asks about. */
export function describeDestructive(actions: RestoreAction[]): string {
  const counts = new Map<RestoreActionKind, number>();
  for (const action of actions) counts.set(action.kind, (counts.get(action.kind) ?? 0) + 1);
  return [...counts]
    .map(([kind, n]) => {
      const [verb, one, many] = DESTRUCTIVE_WORDS[kind] ?? [kind, 'object', 'objects'];
      return `${verb} ${n} ${n === 1 ? one : many}`;
    })
    .join(', ');
}

/** The plan as lines a person reads before saying yes: numbered actions, blocked ones marked with why. */
export function describePlan(plan: RestorePlan): string[] {
  const where = plan.inPlace ? `server ${plan.targetGuildId} (in place)` : `server ${plan.targetGuildId} (migration from ${plan.sourceGuildId})`;
  const blocked = plan.actions.filter((a) => a.blocked).length;
  const lines = [`Restore of snapshot #${plan.snapshotId} into ${where}: ${plural(plan.actions.length, 'action')}${blocked ? `, ${formatCount(blocked)} blocked` : ''}.`];
  if (plan.actions.length === 0) lines.push('  Nothing to do: the server matches the snapshot.');
  plan.actions.forEach((action, i) => {
    lines.push(`  ${String(i + 1).padStart(3)}. ${action.kind.padEnd(16)} ${action.label}: ${action.detail}`);
    if (action.blocked) lines.push(`       BLOCKED: ${action.blocked}`);
  });
  if (plan.kept.length > 0) {
    lines.push('  Kept, not in the snapshot (deleted only when pruning):');
    for (const kept of plan.kept) lines.push(`       ${kept.kind.padEnd(9)} ${kept.label}`);
  }
  for (const note of plan.notes) lines.push(`  Note: ${note}`);
  return lines;
}

export function describeReport(report: RestoreReport): string[] {
  const lines = [`Restore finished: ${report.done} done, ${report.skipped} skipped, ${report.failed} failed.`];
  if (report.preRestoreSnapshotId !== undefined) lines.push(`  Pre-restore snapshot: #${report.preRestoreSnapshotId}`);
  for (const outcome of report.outcomes) {
    if (outcome.status === 'skipped') lines.push(`  skipped ${outcome.action.kind} ${outcome.action.label}: ${outcome.reason}`);
    if (outcome.status === 'failed') lines.push(`  FAILED  ${outcome.action.kind} ${outcome.action.label}: ${outcome.error}`);
  }
  return lines;
}
