import * as assert from 'node:assert/strict';
import { JobProgressTracker } from '../../src/presentation/jobProgressText';

describe('presentation: job progress', () => {
  it('shows channel n of N, messages, bytes and an ETA once it can estimate one', () => {
    const start = 1_000_000;
    const tracker = new JobProgressTracker(start);
    tracker.update({ phase: 'messages', done: 0, total: 40, message: '#general', messages: 0 }, start);
    assert.equal(tracker.text(start + 1000), 'Channel 1 of 40 · #general');
    tracker.update({ phase: 'messages', done: 10, total: 40, message: '#memes', messages: 12345, bytes: 4.2 * 1024 * 1024 }, start + 30_000);
    // 25% done after 30 s: 90 s to go.
    assert.equal(tracker.text(start + 30_000), 'Channel 11 of 40 · #memes · 12,345 messages · 4.2 MB · ETA 1 min 30 s');
  });

  it('shows a rate-limit wait while it lasts and tallies the waits afterwards', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 1, total: 2, messages: 100 });
    tracker.noteRateLimit(2500, 1000);
    assert.match(tracker.text(1500), /waiting 2\.0 s \(rate limit\)/);
    tracker.noteRateLimit(1500, 4000);
    tracker.update({ phase: 'messages', done: 1, total: 2 });
    assert.match(tracker.text(6000), /2 rate-limit waits \(4\.0 s\)/);
    // counters survive events that omit them
    assert.match(tracker.text(6000), /100 messages/);
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
    assert.match(tracker.text(80_000), /ETA 20\.0 s|ETA 20 s/);
  });

  it("drops the engine's own (n of N) so one count is shown", () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 29, total: 33, message: '#Ban appeal: spam wave (31 of 31)' });
    assert.equal(tracker.text(1000), 'Channel 30 of 33 · #Ban appeal: spam wave');
    tracker.update({ phase: 'snapshot', message: 'images (3 of 10)' });
    assert.equal(tracker.text(1000), 'Structure snapshot · images (3 of 10)');
  });

  it('never mixes units: a phase whose done/total count something else keeps its own count', () => {
    const tracker = new JobProgressTracker(0);
    // The engine's snapshot phase counts channels in its message, with done/total alongside.
    tracker.update({ phase: 'snapshot', message: 'threads (36 of 400 channels)', done: 36, total: 400 });
    assert.equal(tracker.text(1000), 'Structure snapshot · threads (36 of 400 channels)');
    // The media phase reports the channel count in done/total: no "File 33 of 34" beside "313 files left".
    tracker.update({ phase: 'media', message: 'media: 313 files left', done: 33, total: 34 });
    assert.equal(tracker.text(1000), 'Media · 313 files left');
    assert.equal(tracker.status(), 'media: 313 files left');
  });

  it('says what discovery does on a large server', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'discover', message: '', done: 0, total: 0 });
    assert.equal(tracker.text(1000), 'Listing channels and threads');
    tracker.update({ phase: 'discover', message: 'archived threads of channel 13 of 400', done: 0, total: 0 });
    assert.equal(tracker.status(), 'listing channels and threads: archived threads of channel 13 of 400');
  });

  it('gives the server row a short status: the count without the channel name', () => {
    const tracker = new JobProgressTracker(0);
    assert.equal(tracker.status(), 'starting');
    tracker.update({ phase: 'messages', done: 12, total: 44, message: '#general (13 of 44)', messages: 500 });
    assert.equal(tracker.status(), 'channel 13 of 44');
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
