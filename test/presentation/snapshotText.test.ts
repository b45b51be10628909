import * as assert from 'node:assert/strict';
import {
  captureGaps,
  compareTitle,
  liveName,
  olderFirst,
  previousSnapshot,
  snapshotLabel,
  snapshotShortName,
  snapshotTooltip,
  type SnapshotDisplayInfo,
} from '../../src/presentation/snapshotText';

const utc = { timeZone: 'UTC' };
const snap = (id: number, day: number, extra: Partial<SnapshotDisplayInfo> = {}): SnapshotDisplayInfo => ({
  id,
  kind: 'manual',
  pinned: false,
  createdAt: `2026-11-${String(day).padStart(2, '0')}T14:03:00Z`,
  summary: { created: 2, changed: 1, deleted: 0 },
  ...extra,
});

describe('presentation: snapshot labels and titles', () => {
  it('labels a snapshot with number, kind, label and time', () => {
    assert.equal(snapshotLabel(snap(5, 22, { label: 'before cleanup' }), utc), '#5 manual · before cleanup · Nov 22 14:03');
    assert.equal(snapshotLabel(snap(6, 22, { kind: 'automatic' }), utc), '#6 automatic · Nov 22 14:03');
  });

  it('titles a comparison the way the issue asks', () => {
    const title = compareTitle('My Server', snapshotShortName(snap(3, 20), utc), snapshotShortName(snap(5, 22), utc));
    assert.equal(title, 'My Server: #3 (Nov 20 14:03) ⟷ #5 (Nov 22 14:03)');
    assert.equal(liveName('2026-11-22T14:03:00Z', utc), 'Live (Nov 22 14:03)');
  });

  it('lists what a capture could not read, with the reason', () => {
    const gaps = captureGaps({
      captureStatus: { role: 'ok', ban: { unreadable: 'missing BAN_MEMBERS permission', asOfId: 3 }, thread: { partial: 'no access to #mods', scopes: [] } },
    });
    assert.deepEqual(gaps, ['ban: not captured (missing BAN_MEMBERS permission)', 'thread: partly captured (no access to #mods)']);
    assert.match(snapshotTooltip(snap(5, 22, { captureStatus: { ban: { unreadable: 'missing BAN_MEMBERS permission' } } }), utc), /Not read in this snapshot \(kept as before, not deleted\):\n  ban: not captured \(missing BAN_MEMBERS permission\)/);
  });

  it('puts the older snapshot on the left and finds the previous one', () => {
    const list = [snap(9, 22), snap(7, 21), snap(3, 20)];
    assert.deepEqual(olderFirst(list[0]!, list[2]!).map((s) => s.id), [3, 9]);
    assert.equal(previousSnapshot(list, 9)?.id, 7);
    assert.equal(previousSnapshot(list, 7)?.id, 3);
    assert.equal(previousSnapshot(list, 3), undefined);
  });
});
