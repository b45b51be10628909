import { toDate, type DateInput } from '../core/text';

/**
 * Whether an automatic snapshot is due: the setting is on and the newest
 * snapshot of the server (of any kind: a manual one counts as fresh) is at
 * least `intervalHours` old. A server with no snapshot yet is not due: the
 * schedule keeps servers current that the user has chosen to back up.
 */
export function isSnapshotDue(newestSnapshotAt: DateInput | undefined, intervalHours: number, now: DateInput = Date.now()): boolean {
  if (!(intervalHours > 0) || newestSnapshotAt === undefined) return false;
  return toDate(now).getTime() - toDate(newestSnapshotAt).getTime() >= intervalHours * 3_600_000;
}

/**
 * How often the scheduler wakes up to check: often enough to be at most
 * ~10% late, never more than every minute nor less than every hour.
 */
export function scheduleCheckIntervalMs(intervalHours: number): number {
  const tenth = (intervalHours * 3_600_000) / 10;
  return Math.min(3_600_000, Math.max(60_000, tenth));
}

/**
 * Whether a scheduled backup is due: the setting is on and the last sync of the
 * server started at least `intervalHours` ago (a failed or cancelled one too:
 * the schedule does not retry in a loop), or the vault never had one.
 */
export function isBackupDue(lastSyncStartedAt: DateInput | undefined, intervalHours: number, now: DateInput = Date.now()): boolean {
  if (!(intervalHours > 0)) return false;
  if (lastSyncStartedAt === undefined) return true;
  return toDate(now).getTime() - toDate(lastSyncStartedAt).getTime() >= intervalHours * 3_600_000;
}
