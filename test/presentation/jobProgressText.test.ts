import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobProgressTracker, type ProgressSnapshot } from '../../src/core/progress/jobProgressTracker';
import { jobProgressLine, jobStatusText, jobSummaryText, PHASES_IN_WORDS, progressWords } from '../../src/presentation/jobProgressText';

/** Every phase name the engine reports: `phase: '...'` in src/core, and syncArchive's progress('...'). */
function enginePhases(): Set<string> {
  const phases = new Set<string>();
  const root = join(__dirname, '../../src/core');
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/phase: '([a-z]+)'/g)) phases.add(match[1]!);
    if (file.endsWith('syncArchive.ts')) for (const match of text.matchAll(/progress\('([a-z]+)'\)/g)) phases.add(match[1]!);
  }
  return phases;
}

/** Each phase as the engine reports it (src/core), with what the row and the notification say. */
const PHASES: Array<{ event: ProgressSnapshot; row: string; toast: string }> = [
  { event: { phase: 'starting' }, row: 'starting', toast: 'Starting' },
  { event: { phase: 'snapshot', message: 'server structure' }, row: 'structure snapshot · server structure', toast: 'Structure snapshot · server structure' },
  { event: { phase: 'snapshot', message: 'threads (36 of 400 channels)', done: 36, total: 400 }, row: 'structure snapshot · threads (36 of 400 channels)', toast: 'Structure snapshot · threads (36 of 400 channels)' },
  { event: { phase: 'snapshot', message: 'images (3 of 10)', done: 3, total: 10 }, row: 'structure snapshot · images (3 of 10)', toast: 'Structure snapshot · images (3 of 10)' },
  { event: { phase: 'discover', message: '', done: 0, total: 0 }, row: 'listing channels and threads', toast: 'Listing channels and threads' },
  { event: { phase: 'discover', message: 'archived threads of channel 13 of 400', done: 0, total: 0 }, row: 'listing channels and threads · archived threads of channel 13 of 400', toast: 'Listing channels and threads · archived threads of channel 13 of 400' },
  { event: { phase: 'messages', message: '#general (13 of 44)', done: 12, total: 44, messages: 500 }, row: 'channel 13 of 44', toast: 'Channel 13 of 44 · #general · 500 messages' },
  // The media phase reports the channel count in done/total: no "channel 34 of 34" beside "248 files left".
  { event: { phase: 'media', message: 'media: 248 files left', done: 34, total: 34, messages: 2926 }, row: 'media · 248 files left', toast: 'Media · 248 files left · 2,926 messages' },
  { event: { phase: 'done', message: '', done: 34, total: 34 }, row: 'finishing', toast: 'Finishing' },
  { event: { phase: 'export', message: '#general (3 of 41)', done: 2, total: 41, messages: 10 }, row: 'channel 3 of 41', toast: 'Channel 3 of 41 · #general · 10 messages' },
  { event: { phase: 'bundle', message: 'copying the database' }, row: 'preparing · copying the database', toast: 'Preparing · copying the database' },
  { event: { phase: 'bundle', message: 'media files', done: 64, total: 300 }, row: 'file 65 of 300', toast: 'File 65 of 300 · media files' },
  // A bundle whose manifest does not say how many files it holds: no count rather than a wrong one.
  { event: { phase: 'bundle', message: 'checking media files', done: 64 }, row: 'preparing · checking media files', toast: 'Preparing · checking media files' },
  { event: { phase: 'gc', message: '3 files removed', bytes: 2048 }, row: 'cleaning the media pool · 3 files removed', toast: 'Cleaning the media pool · 3 files removed · 2 KB' },
  { event: { phase: 'verify', done: 9, total: 120 }, row: 'file 10 of 120', toast: 'File 10 of 120' },
  { event: { phase: 'restore', message: 'pre-restore snapshot' }, row: 'preparing · pre-restore snapshot', toast: 'Preparing · pre-restore snapshot' },
  { event: { phase: 'restore', message: 'create channel #lobby', done: 2, total: 7 }, row: 'step 3 of 7', toast: 'Step 3 of 7 · create channel #lobby' },
  { event: { phase: 'migrate', message: '#general', done: 0, total: 5, messages: 40 }, row: 'channel 1 of 5', toast: 'Channel 1 of 5 · #general · 40 messages' },
];

describe('presentation: job progress in words', () => {
  it('has words of its own for every phase the engine reports', () => {
    const engine = enginePhases();
    assert.ok(engine.has('media') && engine.has('snapshot') && engine.has('messages'), [...engine].join(', '));
    assert.deepEqual([...engine].filter((phase) => !PHASES_IN_WORDS.includes(phase)), []);
    assert.deepEqual([...engine].filter((phase) => !PHASES.some((row) => row.event.phase === phase)), [], 'every engine phase is in the table below');
  });

  for (const { event, row, toast } of PHASES) {
    it(`${event.phase}${event.message ? ` (${event.message})` : ''}: the row says "${row}", the notification "${toast}"`, () => {
      const tracker = new JobProgressTracker(0);
      tracker.update(event, 0);
      assert.equal(jobStatusText(tracker.latest), row);
      assert.equal(jobProgressLine(tracker, 1000), toast);
      // One function says both: the row is how the notification's line starts, never another phase.
      assert.ok(toast.toLowerCase().startsWith(row), `${toast} / ${row}`);
    });
  }

  it('shows a rate-limit wait while it lasts, then tallies the waits, and an ETA once it can estimate one', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 1, total: 2, messages: 100 }, 0);
    tracker.noteRateLimit(2500, 1000);
    assert.equal(jobProgressLine(tracker, 1500), 'Channel 2 of 2 · 100 messages · waiting 2.0 s (rate limit)');
    tracker.noteRateLimit(1500, 4000);
    assert.equal(jobProgressLine(tracker, 6000), 'Channel 2 of 2 · 100 messages · 2 rate-limit waits (4.0 s) · ETA 6.0 s');
    // A rate-limit wait never changes what the row says.
    assert.equal(jobStatusText(tracker.latest), 'channel 2 of 2');
  });

  it("drops the engine's own (n of N) so one count is shown", () => {
    assert.deepEqual(progressWords({ phase: 'messages', done: 29, total: 33, message: '#Ban appeal: spam wave (31 of 31)' }), { step: ['Channel 30 of 33'], place: '#Ban appeal: spam wave' });
  });

  it('keeps hostile names as they came, in every phase: the front end makes them safe for its screen', () => {
    const hostile = '#$(bug) [x](command:workbench.action.quit) \u202eevil';
    for (const { event } of PHASES) {
      if (!event.message) continue;
      const message = event.message.replace('#general', hostile).replace('#lobby', hostile);
      if (message === event.message) continue;
      const words = progressWords({ ...event, message });
      assert.ok([...words.step, words.place].join(' ').includes(hostile), `${event.phase}: ${JSON.stringify(words)}`);
    }
  });

  it('sums a job up when it ends', () => {
    const tracker = new JobProgressTracker(0);
    tracker.update({ phase: 'messages', done: 3, total: 3, messages: 12_345, bytes: 4.2 * 1024 * 1024 }, 0);
    tracker.noteRateLimit(100, 10);
    assert.equal(jobSummaryText(tracker, 125_000), 'took 2 min 5 s, 12,345 messages, 4.2 MB of media, 1 rate-limit wait');
  });
});
