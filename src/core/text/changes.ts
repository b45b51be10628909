import { formatCount } from './counts';

/** Nodes created, changed and deleted between two snapshots (the engine's ChangeSummary). */
export interface ChangeCounts {
  created: number;
  changed: number;
  deleted: number;
}

/**
 * "+2 ~1 -0" where space is tight (tree rows, `snapshots list`, progress and
 * summary lines); with `words`, "2 created, 1 changed" (tooltips, picks,
 * notifications) or "no changes".
 */
export function formatChangeSummary(summary: ChangeCounts | undefined, options: { words?: boolean } = {}): string {
  const { created, changed, deleted } = summary ?? { created: 0, changed: 0, deleted: 0 };
  if (!options.words) return `+${formatCount(created)} ~${formatCount(changed)} -${formatCount(deleted)}`;
  const parts = [
    created && `${formatCount(created)} created`,
    changed && `${formatCount(changed)} changed`,
    deleted && `${formatCount(deleted)} deleted`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no changes';
}
