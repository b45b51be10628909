import * as assert from 'node:assert/strict';
import { formatAgo, formatAgoShort, formatBytes, formatCount, formatDay, formatDayTime, formatDuration } from '../../src/presentation/format';

describe('presentation: formatting', () => {
  it('formats counts, bytes and durations the way notifications show them', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(4.2 * 1024 * 1024), '4.2 MB');
    assert.equal(formatBytes(300 * 1024 * 1024 * 1024), '300 GB');
    assert.equal(formatDuration(1200), '1.2 s');
    assert.equal(formatDuration(95_000), '1 min 35 s');
    assert.equal(formatDuration(7_500_000), '2 h 5 min');
  });

  it('formats dates in the requested zone', () => {
    const at = '2026-11-22T14:03:09Z';
    assert.equal(formatDay(at, { timeZone: 'UTC' }), 'Nov 22');
    assert.equal(formatDayTime(at, { timeZone: 'UTC' }), 'Nov 22 14:03');
    assert.equal(formatDayTime(at, { timeZone: 'Asia/Tokyo' }), 'Nov 22 23:03');
    assert.equal(formatDayTime('2026-01-05T00:07:00Z', { timeZone: 'UTC' }), 'Jan 5 00:07');
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-11-22T14:00:00Z');
    assert.equal(formatAgo(now - 10_000, now), 'just now');
    assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
    assert.equal(formatAgo(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(formatAgo(now - 2 * 86_400_000, now), '2 days ago');
    assert.equal(formatAgo('2026-10-01T12:00:00Z', now, { timeZone: 'UTC' }), 'Oct 1');
    assert.equal(formatAgoShort(now - 5 * 60_000, now), '5m ago');
    assert.equal(formatAgoShort(now - 3 * 3_600_000, now), '3h ago');
    assert.equal(formatAgoShort(now - 2 * 86_400_000, now), '2d ago');
  });
});
