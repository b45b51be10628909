import type { RestorePlan, RestorePreview, RestoreReport } from '../engine';
import { formatCount, plural } from '../../core/text';

/**
 * The words of Restore Structure…: the header both sides of the preview diff
 * carry (so it is read, not diffed), the modal's detail and the result.
 */

export const KEEP_CHOICE = 'Restore, keep extra roles and channels';
export const PRUNE_CHOICE = 'Restore and delete what the snapshot lacks';
/** The only button when the target has nothing the snapshot lacks. */
export const RESTORE_CHOICE = 'Restore';

/** Plan facts on top of both documents: blocked actions, what is kept, what the "after" side approximates. */
export function previewHeader(plan: RestorePlan, preview: RestorePreview, what: string): string {
  const blocked = plan.actions.filter((action) => action.blocked);
  const lines = [`# Restore of ${what}: ${plural(plan.actions.length, 'action')}, ${formatCount(blocked.length)} blocked.`];
  if (blocked.length > 0) {
    lines.push('# Blocked (skipped, the target keeps these as they are):');
    for (const action of blocked) lines.push(`#   ${action.kind} ${action.label}: ${action.blocked}`);
  }
  if (plan.kept.length > 0) {
    lines.push(`# Kept, not in the snapshot (deleted only by "${PRUNE_CHOICE}"):`);
    for (const kept of plan.kept) lines.push(`#   ${kept.kind} ${kept.label}`);
  }
  for (const note of plan.notes) lines.push(`# Note: ${note}`);
  lines.push('# Approximated on the "after" side:');
  for (const approximation of preview.approximations) lines.push(`#   ${approximation}`);
  return `${lines.map((line) => line.replace(/[\r\n]+/g, ' ')).join('\n')}\n\n`;
}

/** "12 done, 1 skipped, 0 failed, 2 blocked" */
export function reportSummary(report: RestoreReport): string {
  const blocked = report.outcomes.filter((outcome) => outcome.status === 'skipped' && outcome.action.blocked).length;
  return `${formatCount(report.done)} done, ${formatCount(report.skipped - blocked)} skipped, ${formatCount(report.failed)} failed, ${formatCount(blocked)} blocked`;
}
