import { formatBytes, formatCount, formatDuration, nounFor, plural } from '../text';
import type { MigratePlan, MigrateReport } from './types';

/** The plan as lines: per channel where it goes and what is left, then totals and the time at the webhook limits. */
export function describeMigrationPlan(plan: MigratePlan): string[] {
  const lines = [
    `Migration of ${plural(plan.messages, 'message')} from server ${plan.sourceGuildId} into ${plan.targetName} (${plan.targetGuildId}): ` +
      `${plural(plan.channels.filter((c) => !c.problem).length, 'channel')}, ${plural(plan.files, 'file')} (${formatBytes(plan.bytes)}), ` +
      `about ${formatDuration(plan.estimatedSeconds * 1000)} at Discord's webhook limits.`,
  ];
  if (plan.alreadySent) lines.push(`  ${plural(plan.alreadySent, 'message')} ${nounFor(plan.alreadySent, 'was', 'were')} migrated by an earlier run and ${nounFor(plan.alreadySent, 'is', 'are')} skipped.`);
  for (const c of plan.channels) {
    const what = `${plural(c.messages, 'message')}${c.threads ? `, ${plural(c.threads, 'thread')}` : ''}${c.files ? `, ${plural(c.files, 'file')}` : ''}`;
    lines.push(`  ${c.label} (${c.sourceId}) -> ${c.targetId ?? '(none)'}: ${what}${c.problem ? `\n       NOT MIGRATED: ${c.problem}` : ''}`);
  }
  lines.push(`  Upload limit in the target: ${formatBytes(plan.uploadLimitBytes)} per message; larger files go as a note with their name and size.`);
  for (const problem of plan.problems) lines.push(`  Note: ${problem}`);
  return lines;
}

export function describeMigrationReport(report: MigrateReport): string[] {
  const lines = [`Migration finished: ${report.summary} (${formatDuration(report.durationMs)}).`];
  for (const problem of report.problems) lines.push(`  problem: ${problem}`);
  for (const f of report.failed) lines.push(`  NOT SENT ${f.channel} message ${f.sourceMessageId}: ${f.reason}`);
  return lines;
}
