import { type DateFormatOptions, type DateInput, formatChangeSummary, formatDayTime, formatFullDateTime } from '../core/text';

/**
 * What the tree and titles need of a snapshot: a structural subset of the
 * engine's SnapshotInfo (src/core/snapshots), so this module stays plain.
 */
export interface SnapshotDisplayInfo {
  id: number;
  kind: string;
  label?: string | null;
  pinned: boolean;
  createdAt: DateInput;
  /** The last time a capture found the server unchanged since this snapshot. */
  checkedAt?: DateInput;
  summary?: { created: number; changed: number; deleted: number };
  /** Per node type: 'ok', or why it was not (fully) read: { unreadable } / { partial }. */
  captureStatus?: Record<string, unknown>;
}

/** "#5 manual · before cleanup · Nov 22 14:03" */
export function snapshotLabel(snapshot: SnapshotDisplayInfo, options: DateFormatOptions = {}): string {
  const parts = [`#${snapshot.id} ${snapshot.kind}`];
  if (snapshot.label) parts.push(snapshot.label);
  parts.push(formatDayTime(snapshot.createdAt, options));
  return parts.join(' · ');
}

/**
 * "#5 (Nov 22 14:03)": the short name used in diff titles; the time tells two snapshots of
 * the same day apart.
 */
export function snapshotShortName(snapshot: Pick<SnapshotDisplayInfo, 'id' | 'createdAt'>, options: DateFormatOptions = {}): string {
  return `#${snapshot.id} (${formatDayTime(snapshot.createdAt, options)})`;
}

/** Multi-line hover text for a snapshot item. */
export function snapshotTooltip(snapshot: SnapshotDisplayInfo, options: DateFormatOptions & { first?: boolean } = {}): string {
  const lines = [
    `Snapshot #${snapshot.id} (${snapshot.kind})${snapshot.pinned ? ', pinned' : ''}`,
    `Taken ${formatFullDateTime(snapshot.createdAt, options)}`,
  ];
  if (snapshot.checkedAt !== undefined && new Date(snapshot.checkedAt).getTime() > new Date(snapshot.createdAt).getTime()) {
    lines.push(`Still current at ${formatFullDateTime(snapshot.checkedAt, options)} (checked by an automatic snapshot)`);
  }
  if (snapshot.label) lines.push(`Label: ${snapshot.label}`);
  // The first snapshot has nothing before it: everything in it was recorded for the first time.
  lines.push(options.first ? 'The first snapshot of this server: the starting point of its history.' : `Since the snapshot before: ${formatChangeSummary(snapshot.summary, { words: true })}`);
  const gaps = captureGaps(snapshot);
  if (gaps.length) lines.push('Not read in this snapshot (kept as before, not deleted):', ...gaps.map((gap) => `  ${gap}`));
  return lines.join('\n');
}

/**
 * "ban: not captured (missing BAN_MEMBERS permission)", "thread: partly captured (no access to
 * #mods)" for each node type the capture could not (fully) read: the tooltip and the CLI's
 * `snapshot` say gaps alike.
 */
export function captureGaps(snapshot: Pick<SnapshotDisplayInfo, 'captureStatus'>): string[] {
  const gaps: string[] = [];
  for (const [type, status] of Object.entries(snapshot.captureStatus ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof status !== 'object' || status === null) continue;
    const { unreadable, partial } = status as { unreadable?: unknown; partial?: unknown };
    const name = type.replace(/_/g, ' ');
    if (unreadable !== undefined) gaps.push(`${name}: not captured (${String(unreadable)})`);
    else if (partial !== undefined) gaps.push(`${name}: partly captured (${String(partial)})`);
  }
  return gaps;
}

/** "My Server: #3 (Nov 20) ⟷ #5 (Nov 22)" */
export function compareTitle(serverName: string, left: string, right: string): string {
  return `${serverName}: ${left} ⟷ ${right}`;
}

/** "Live (Nov 22 14:03)": the right-hand side of Compare with Live Server. */
export function liveName(capturedAt: DateInput, options: DateFormatOptions = {}): string {
  return `Live (${formatDayTime(capturedAt, options)})`;
}

/** Orders two snapshots so the older is on the left, as diffs read. */
export function olderFirst<T extends { id: number }>(a: T, b: T): [T, T] {
  return a.id <= b.id ? [a, b] : [b, a];
}

/** The snapshot taken just before `id` in a newest-first or any-order list. */
export function previousSnapshot<T extends { id: number }>(snapshots: readonly T[], id: number): T | undefined {
  let best: T | undefined;
  for (const snapshot of snapshots) {
    if (snapshot.id < id && (!best || snapshot.id > best.id)) best = snapshot;
  }
  return best;
}
