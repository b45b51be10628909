/**
 * When scheduled work is due: the policy behind the automatic snapshot and
 * backup settings (guildVault.snapshots.autoIntervalHours,
 * guildVault.backup.autoIntervalHours). Plain functions of times, so any front
 * end that schedules (today VS Code; cron needs none) decides the same way.
 */

/** A point in time as the vault and the settings give it: a Date, an ISO string or epoch milliseconds. */
export type Instant = Date | string | number;

const HOUR_MS = 3_600_000;

function millis(at: Instant): number {
  return new Date(at).getTime();
}

/**
 * Whether an automatic snapshot is due: the setting is on and the newest
 * snapshot of the server (of any kind: a manual one counts as fresh) is at
 * least `intervalHours` old. A server with no snapshot yet is not due: the
 * schedule keeps servers current that the user has chosen to back up.
 */
export function isSnapshotDue(newestSnapshotAt: Instant | undefined, intervalHours: number, now: Instant = Date.now()): boolean {
  if (!(intervalHours > 0) || newestSnapshotAt === undefined) return false;
  return millis(now) - millis(newestSnapshotAt) >= intervalHours * HOUR_MS;
}

/**
 * How often the scheduler wakes up to check: often enough to be at most
 * ~10% late, never more than every minute nor less than every hour.
 */
export function scheduleCheckIntervalMs(intervalHours: number): number {
  const tenth = (intervalHours * HOUR_MS) / 10;
  return Math.min(HOUR_MS, Math.max(60_000, tenth));
}

/**
 * Whether a scheduled backup is due: the setting is on and the last sync of the
 * server started at least `intervalHours` ago (a failed or cancelled one too:
 * the schedule does not retry in a loop), or the vault never had one.
 */
export function isBackupDue(lastSyncStartedAt: Instant | undefined, intervalHours: number, now: Instant = Date.now()): boolean {
  if (!(intervalHours > 0)) return false;
  if (lastSyncStartedAt === undefined) return true;
  return millis(now) - millis(lastSyncStartedAt) >= intervalHours * HOUR_MS;
}
