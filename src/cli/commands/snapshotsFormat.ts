import type { ChangeSummary, SnapshotInfo } from '../../core/snapshots';

/** "+2 ~1 -0": created, changed, deleted since the snapshot before. */
export function formatSummary(summary: ChangeSummary): string {
  return `+${summary.created} ~${summary.changed} -${summary.deleted}`;
}

/** One row of `snapshots list`. */
export function formatSnapshotRow(snapshot: SnapshotInfo): string {
  const when = snapshot.createdAt.replace('T', ' ').slice(0, 16);
  const unread = Object.entries(snapshot.captureStatus)
    .filter(([, status]) => typeof status === 'object' && 'unreadable' in status)
    .map(([type]) => type);
  return [
    `#${snapshot.id}`.padEnd(6),
    when,
    snapshot.kind.padEnd(11),
    (snapshot.pinned ? 'pinned' : '').padEnd(6),
    formatSummary(snapshot.summary).padEnd(16),
    snapshot.label ?? '',
    unread.length ? `(not captured: ${unread.join(', ')})` : '',
  ]
    .join('  ')
    .trimEnd();
}
