import type { SnapshotInfo } from '../../core/snapshots';
import { formatChangeSummary, formatFullDateTime } from '../../core/text';

/** One row of `snapshots list`. */
export function formatSnapshotRow(snapshot: SnapshotInfo): string {
  const when = formatFullDateTime(snapshot.createdAt, { timeZone: 'UTC' });
  const unread = Object.entries(snapshot.captureStatus)
    .filter(([, status]) => typeof status === 'object' && 'unreadable' in status)
    .map(([type]) => type);
  return [
    `#${snapshot.id}`.padEnd(6),
    when,
    snapshot.kind.padEnd(11),
    (snapshot.pinned ? 'pinned' : '').padEnd(6),
    formatChangeSummary(snapshot.summary).padEnd(16),
    snapshot.label ?? '',
    unread.length ? `(not captured: ${unread.join(', ')})` : '',
  ]
    .join('  ')
    .trimEnd();
}
