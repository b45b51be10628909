import * as assert from 'node:assert/strict';
import {
  formatAgo,
  formatAgoShort,
  formatBytes,
  formatExactBytes,
  formatChangeSummary,
  formatCount,
  formatDay,
  formatDayTime,
  formatDuration,
  formatFullDateTime,
  formatUtc,
  nounFor,
  partOf,
  plural,
} from '../../../src/core/text';

describe('text: counts', () => {
  it('writes thousands separators in every count', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(1), '1');
    assert.equal(formatCount(1000), '1,000');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(2.6), '3');
  });

  it('says a count with its noun in the right number', () => {
    assert.equal(plural(0, 'file'), '0 files');
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(2, 'file'), '2 files');
    assert.equal(plural(1000, 'message'), '1,000 messages');
    assert.equal(plural(1234567, 'message'), '1,234,567 messages');
    assert.equal(plural(2125, 'file'), '2,125 files');
  });

  it('knows the plurals the code needs, including phrases and irregular nouns', () => {
    assert.equal(plural(1, 'rate-limit wait'), '1 rate-limit wait');
    assert.equal(plural(2, 'rate-limit wait'), '2 rate-limit waits');
    assert.equal(plural(1, 'entry'), '1 entry');
    assert.equal(plural(2, 'entry'), '2 entries');
    assert.equal(plural(3, 'category'), '3 categories');
    assert.equal(plural(2, 'day'), '2 days', 'a vowel before the y: regular');
    assert.equal(plural(2, 'match'), '2 matches');
    assert.equal(plural(2, 'box'), '2 boxes');
    assert.equal(plural(2, 'wrong summary'), '2 wrong summaries');
    assert.equal(plural(2, 'person'), '2 people');
    assert.equal(plural(2, 'media download'), '2 media downloads');
    assert.equal(plural(2, 'channel and thread', 'channels and threads'), '2 channels and threads');
    assert.equal(partOf(1, 1, 'channel'), '1 of 1 channels');
    assert.equal(partOf(1234, 2000, 'file'), '1,234 of 2,000 files');
    assert.equal(nounFor(1, 'snapshot'), 'snapshot');
    assert.equal(nounFor(2, 'snapshot'), 'snapshots');
  });
});

describe('text: sizes, durations and change summaries', () => {
  it('formats sizes in powers of 1024 with separators', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1), '1 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1023), '1,023 B');
    assert.equal(formatBytes(1024), '1 KB');
    assert.equal(formatBytes(32 * 1024 * 1024), '32 MB');
    assert.equal(formatBytes(4.2 * 1024 * 1024), '4.2 MB');
    assert.equal(formatBytes(300 * 1024 * 1024 * 1024), '300 GB');
    assert.equal(formatBytes(5000 * 1024 ** 4), '5,000 TB');
  });

  it('gives an exact byte count with its size in words where a reader needs the number', () => {
    assert.equal(formatExactBytes(1), '1 byte');
    assert.equal(formatExactBytes(512), '512 bytes');
    assert.equal(formatExactBytes(1_048_576), '1,048,576 bytes (1 MB)');
    assert.equal(formatExactBytes(2_147_483_647), '2,147,483,647 bytes (2 GB)');
  });

  it('formats durations', () => {
    assert.equal(formatDuration(1200), '1.2 s');
    assert.equal(formatDuration(95_000), '1 min 35 s');
    assert.equal(formatDuration(7_500_000), '2 h 5 min');
  });

  it('writes a change summary compactly and in words, with separators', () => {
    assert.equal(formatChangeSummary({ created: 2, changed: 1, deleted: 0 }), '+2 ~1 -0');
    assert.equal(formatChangeSummary({ created: 1234, changed: 0, deleted: 1000000 }), '+1,234 ~0 -1,000,000');
    assert.equal(formatChangeSummary(undefined), '+0 ~0 -0');
    assert.equal(formatChangeSummary({ created: 2, changed: 1, deleted: 0 }, { words: true }), '2 created, 1 changed');
    assert.equal(formatChangeSummary({ created: 0, changed: 0, deleted: 1200 }, { words: true }), '1,200 deleted');
    assert.equal(formatChangeSummary({ created: 0, changed: 0, deleted: 0 }, { words: true }), 'no changes');
  });
});

describe('text: dates', () => {
  it('formats dates in the requested zone', () => {
    const at = '2026-11-22T14:03:09Z';
    assert.equal(formatDay(at, { timeZone: 'UTC' }), 'Nov 22');
    assert.equal(formatDayTime(at, { timeZone: 'UTC' }), 'Nov 22 14:03');
    assert.equal(formatDayTime(at, { timeZone: 'Asia/Tokyo' }), 'Nov 22 23:03');
    assert.equal(formatDayTime('2026-01-05T00:07:00Z', { timeZone: 'UTC' }), 'Jan 5 00:07');
    assert.equal(formatFullDateTime(at, { timeZone: 'UTC' }), '2026-11-22 14:03');
  });

  it('writes times for other machines in UTC, and leaves what is no date as it came', () => {
    assert.equal(formatUtc('2026-11-22T14:03:09.123Z'), '2026-11-22 14:03 UTC');
    assert.equal(formatUtc('2026-11-22T23:03:09+09:00'), '2026-11-22 14:03 UTC');
    assert.equal(formatUtc(Date.parse('2026-11-22T14:03:09Z')), '2026-11-22 14:03 UTC');
    assert.equal(formatUtc('not a date'), 'not a date');
    assert.equal(formatFullDateTime('garbage from a server', { timeZone: 'UTC' }), 'garbage from a server');
    assert.equal(formatDayTime('', { timeZone: 'UTC' }), '');
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-11-22T14:00:00Z');
    assert.equal(formatAgo(now - 10_000, now), 'just now');
    assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
    assert.equal(formatAgo(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(formatAgo(now - 86_400_000, now), '1 day ago');
    assert.equal(formatAgo(now - 2 * 86_400_000, now), '2 days ago');
    assert.equal(formatAgo('2026-10-01T12:00:00Z', now, { timeZone: 'UTC' }), 'Oct 1');
    assert.equal(formatAgoShort(now - 5 * 60_000, now), '5m ago');
    assert.equal(formatAgoShort(now - 3 * 3_600_000, now), '3h ago');
    assert.equal(formatAgoShort(now - 2 * 86_400_000, now), '2d ago');
  });
});
