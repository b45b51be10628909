import * as assert from 'node:assert/strict';
import { wasBackup } from '../../../src/core/archive';

const started = Date.parse('2026-11-30T10:00:00Z');
const at = (minutesBefore: number) => new Date(started - minutesBefore * 60_000).toISOString();
const run = { startedAt: at(0) };

/** When a completed sync counts as a backup (a snapshot, then the sync), which the server row says. */
describe('archive runs: which sync was a backup', () => {
  it('counts a sync started within an hour after a snapshot, and no later', () => {
    assert.equal(wasBackup(run, undefined, [at(1)]), true);
    assert.equal(wasBackup(run, undefined, [at(59)]), true);
    assert.equal(wasBackup(run, undefined, [at(61)]), false, 'a snapshot over an hour before: the sync ran alone');
    assert.equal(wasBackup(run, undefined, []), false, 'no snapshot at all');
  });

  it('finds the backup\'s snapshot among newer ones', () => {
    assert.equal(wasBackup(run, undefined, [at(-30), at(-5), at(2)]), true);
    assert.equal(wasBackup(run, undefined, [at(-30)]), false, 'a snapshot taken after the sync started is not its backup');
  });

  it('leaves a snapshot to the run before when that run started after it', () => {
    // Backup (snapshot, sync), then Sync Messages a minute later: the second sync is not a backup.
    assert.equal(wasBackup(run, at(1), [at(2)]), false);
    assert.equal(wasBackup(run, at(3), [at(2)]), true);
  });
});
