import * as assert from 'node:assert/strict';
import { JobProgressTracker } from '../../../src/core/progress/jobProgressTracker';

describe('core: job progress tracker', () => {
  it('extrapolates the time left once there is enough to go on (5% and 3 s)', () => {
    const start = 1_000_000;
    const tracker = new JobProgressTracker(start);
    tracker.update({ phase: 'messages', done: 0, total: 40 }, start);
    assert.equal(tracker.etaMs(start + 1000), undefined);
    tracker.update({ phase: 'messages', done: 1, total: 40 }, start + 10_000);
    assert.equal(tracker.etaMs(start + 10_000), undefined, 'under 5% done: no guess');
    tracker.update({ phase: 'messages', done: 10, total: 40 }, start + 30_000);
    // 25% done after 30 s: 90 s to go.
    assert.equal(tracker.etaMs(start + 30_000), 90_000);
    // The engine's own estimate wins (it knows rates the front end cannot see).
    tracker.update({ phase: 'migrate', done: 1, total: 3, etaMs: 5000 }, start + 31_000);
    assert.equal(tracker.etaMs(start + 31_000), 5000);
  });

  it('keeps the running counters when an event omits them', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 1, total: 2, messages: 100, bytes: 2048 });
    tracker.update({ phase: 'messages', done: 2, total: 2 });
    assert.equal(tracker.latest.messages, 100);
    assert.equal(tracker.latest.bytes, 2048);
    assert.equal(tracker.latest.done, 2);
  });

  it('says when an event starts another phase', () => {
    const tracker = new JobProgressTracker(0);
    assert.equal(tracker.update({ phase: 'messages', done: 0, total: 2 }), true);
    assert.equal(tracker.update({ phase: 'messages', done: 1, total: 2 }), false);
    assert.equal(tracker.update({ phase: 'media', message: 'media: 3 files left' }), true);
    assert.equal(tracker.update({ phase: 'media', message: 'media: 2 files left' }), false);
  });

  it('tallies rate-limit waits and knows how long the current one lasts', () => {
    const tracker = new JobProgressTracker(0);
    tracker.noteRateLimit(2500, 1000);
    assert.equal(tracker.waitingMs(1500), 2000);
    tracker.noteRateLimit(1500, 4000);
    assert.equal(tracker.waitingMs(6000), 0);
    assert.deepEqual(tracker.rateLimits, { count: 2, totalWaitMs: 4000 });
  });

  it('weights phases so a later phase never restarts the bar, and times each phase on its own', () => {
    const tracker = new JobProgressTracker(0, { snapshot: [0, 10], '*': [10, 100] });
    tracker.update({ phase: 'snapshot', message: 'images', done: 5, total: 10 }, 0);
    assert.equal(tracker.takeIncrement(), 5);
    tracker.update({ phase: 'discover' }, 60_000);
    assert.equal(tracker.takeIncrement(), 5, 'the archive starts at 10%');
    tracker.update({ phase: 'messages', done: 10, total: 20 }, 60_000);
    assert.equal(tracker.takeIncrement(), 45);
    // Half the channels in 20 s of archive (the minute of snapshot before does not count): 20 s to go.
    assert.equal(tracker.etaMs(80_000), 20_000);
  });

  it('reports percentage as increments that never go backwards', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 1, total: 4 });
    assert.equal(tracker.takeIncrement(), 25);
    assert.equal(tracker.takeIncrement(), 0);
    tracker.update({ phase: 'media', done: 1, total: 10 }); // a new phase starts lower
    assert.equal(tracker.takeIncrement(), 0);
    tracker.update({ phase: 'messages', done: 4, total: 4 });
    assert.equal(tracker.takeIncrement(), 75);
  });
});
