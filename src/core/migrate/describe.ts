import { formatBytes, formatCount, formatDuration } from '../text';
import type { MigratePlan, MigrateReport } from './types';

/** The plan as lines: per channel where it goes and what is left, then totals and the time at the webhook limits. */
export function describeMigrationPlan(plan: MigratePlan): string[] {
  const lines = [
    `Migration of ${formatCount(plan.messages)} message(s) from server ${plan.sourceGuildId} into ${plan.targetName} (${plan.targetGuildId}): ` +
      `${plan.channels.filter((c) => !c.problem).length} channel(s), ${formatCount(plan.files)} file(s) (${formatBytes(plan.bytes)}), ` +
      `about ${formatDuration(plan.estimatedSeconds * 1000)} at Discord's webhook limits.`,
  ];
  if (plan.alreadySent) lines.push(`  ${formatCount(plan.alreadySent)} message(s) were migrated by an earlier run and are skipped.`);
  for (const c of plan.channels) {
    const what = `${formatCount(c.messages)} message(s)${c.threads ? `, ${c.threads} thread(s)` : ''}${c.files ? `, ${formatCount(c.files)} file(s)` : ''}`;
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
