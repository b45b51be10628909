import * as assert from 'node:assert/strict';
import { isBackupDue, isSnapshotDue, scheduleCheckIntervalMs } from '../../../src/core/schedule/schedulePolicy';

describe('schedule: automatic snapshots', () => {
  const now = Date.parse('2026-11-22T14:00:00Z');
  it('is due only when enabled and the newest snapshot is old enough', () => {
    assert.equal(isSnapshotDue(now - 25 * 3_600_000, 24, now), true);
    assert.equal(isSnapshotDue(now - 23 * 3_600_000, 24, now), false);
    assert.equal(isSnapshotDue(now - 1000 * 3_600_000, 0, now), false, 'interval 0 is off');
    assert.equal(isSnapshotDue(undefined, 24, now), false, 'never backed up: not scheduled');
  });
  it('checks often enough to be at most a tenth late, within a minute and an hour', () => {
    assert.equal(scheduleCheckIntervalMs(24), 3_600_000);
    assert.equal(scheduleCheckIntervalMs(1), 360_000);
    assert.equal(scheduleCheckIntervalMs(0.01), 60_000);
  });
});

describe('schedule: scheduled backups', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();
  it('are due after the interval since the last sync started, or when there was none', () => {
    assert.equal(isBackupDue(undefined, 6, now), true);
    assert.equal(isBackupDue(hoursAgo(7), 6, now), true);
    assert.equal(isBackupDue(hoursAgo(5), 6, now), false);
    assert.equal(isBackupDue(undefined, 0, now), false, 'off');
  });
  it('takes the times the vault stores (ISO text) and Dates alike', () => {
    assert.equal(isBackupDue(new Date(now - 7 * 3_600_000), 6, new Date(now)), true);
    assert.equal(isSnapshotDue(hoursAgo(25), 24, new Date(now).toISOString()), true);
  });
});
