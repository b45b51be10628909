import * as assert from 'node:assert/strict';
import { serverStatusDetail, serverStatusText } from '../../src/presentation/serverStatus';
import { snapshotOutline } from '../../src/presentation/snapshotOutline';
import { isBackupDue } from '../../src/presentation/schedule';
import { formatChangeSummary } from '../../src/core/text';
import { snapshotShortName, snapshotTooltip } from '../../src/presentation/snapshotText';

const now = Date.parse('2026-11-30T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();

describe('presentation: a server row tells what happened last', () => {
  it('says "backed up" only for a snapshot followed by a completed sync', () => {
    const run = { status: 'done', startedAt: hoursAgo(2), finishedAt: hoursAgo(1.9) };
    assert.equal(serverStatusText({ hasVault: true, latestRun: run, newestSnapshotAt: hoursAgo(2.01) }, now), 'backed up 1h ago');
    // A sync alone (the snapshot is days older): synced, not backed up.
    assert.equal(serverStatusText({ hasVault: true, latestRun: run, newestSnapshotAt: hoursAgo(72) }, now), 'synced 1h ago');
    assert.match(serverStatusDetail({ hasVault: true, latestRun: run, newestSnapshotAt: hoursAgo(72) }, { timeZone: 'UTC' })!, /^Last message sync completed/);
    // A snapshot taken after the backup does not make the backup a mere sync.
    assert.equal(serverStatusText({ hasVault: true, latestRun: run, newestSnapshotAt: hoursAgo(0.5), snapshotTimes: [hoursAgo(0.5), hoursAgo(2.01)] }, now), 'backed up 1h ago');
    // A sync right after a backup: the snapshot belongs to the run before.
    assert.equal(serverStatusText({ hasVault: true, latestRun: run, previousRunStartedAt: hoursAgo(2.005), newestSnapshotAt: hoursAgo(2.01) }, now), 'synced 1h ago');
  });

  it('says a snapshot alone is not a backup, and an unfinished sync is incomplete', () => {
    assert.equal(serverStatusText({ hasVault: true, newestSnapshotAt: hoursAgo(3) }, now), 'snapshot 3h ago, messages not synced');
    assert.equal(serverStatusText({ hasVault: true, latestRun: { status: 'cancelled', startedAt: hoursAgo(2), finishedAt: hoursAgo(1) }, newestSnapshotAt: hoursAgo(2) }, now), 'incomplete: cancelled 1h ago');
    assert.equal(serverStatusText({ hasVault: true, latestRun: { status: 'failed', startedAt: hoursAgo(5), finishedAt: hoursAgo(5) } }, now), 'incomplete: failed 5h ago');
    assert.equal(serverStatusText({ hasVault: true, latestRun: { status: 'running', startedAt: hoursAgo(5), finishedAt: null } }, now), 'incomplete: interrupted 5h ago');
    assert.equal(serverStatusText({ hasVault: false }, now), 'not backed up');
  });
});

describe('presentation: scheduled backups', () => {
  it('are due after the interval since the last sync started, or when there was none', () => {
    assert.equal(isBackupDue(undefined, 6, now), true);
    assert.equal(isBackupDue(hoursAgo(7), 6, now), true);
    assert.equal(isBackupDue(hoursAgo(5), 6, now), false);
    assert.equal(isBackupDue(undefined, 0, now), false, 'off');
  });
});

describe('presentation: snapshot words', () => {
  const snapshot = { id: 5, kind: 'manual', pinned: false, createdAt: '2026-11-22T14:03:00Z', summary: { created: 1, changed: 3, deleted: 0 } };
  it('says changes in words where they fit', () => {
    assert.equal(formatChangeSummary(snapshot.summary, { words: true }), '1 created, 3 changed');
    assert.equal(formatChangeSummary({ created: 0, changed: 0, deleted: 0 }, { words: true }), 'no changes');
    assert.match(snapshotTooltip(snapshot, { timeZone: 'UTC' }), /Since the snapshot before: 1 created, 3 changed/);
  });

  it('does not speak of "the one before" for the first snapshot', () => {
    const tooltip = snapshotTooltip(snapshot, { timeZone: 'UTC', first: true });
    assert.doesNotMatch(tooltip, /before/);
    assert.match(tooltip, /first snapshot/);
  });

  it('tells two snapshots of the same day apart in diff titles', () => {
    const morning = snapshotShortName({ id: 3, createdAt: '2026-11-22T09:12:00Z' }, { timeZone: 'UTC' });
    const afternoon = snapshotShortName({ id: 4, createdAt: '2026-11-22T14:03:00Z' }, { timeZone: 'UTC' });
    assert.notEqual(morning.replace('#3', ''), afternoon.replace('#4', ''));
    assert.match(afternoon, /14:03/);
  });
});

describe('presentation: snapshot outline', () => {
  it('lists sections, and entries nested by indentation, without property lines', () => {
    const text = [
      '== Roles (2) ==',
      '@Admin (1)',
      '  color: #ff0000',
      '  colors:',
      '    primary_color: #ff0000',
      '@everyone (9)',
      '  permissions: VIEW_CHANNEL',
      '== Channels (3) ==',
      '(channel: partly captured)',
      'Text (10) category',
      '  allow @Admin (1): VIEW_CHANNEL',
      '  #general (11) text',
      '    topic: "hello"',
      '  #memes (12) text',
      '',
    ].join('\n');
    const outline = snapshotOutline(text);
    assert.deepEqual(outline.map((section) => section.name), ['Roles (2)', 'Channels (3)']);
    assert.deepEqual(outline[0]!.children.map((entry) => entry.name), ['@Admin (1)', '@everyone (9)']);
    assert.deepEqual([outline[0]!.children[0]!.startLine, outline[0]!.children[0]!.endLine], [1, 4]);
    const category = outline[1]!.children[0]!;
    assert.equal(category.name, 'Text (10) category');
    assert.deepEqual(category.children.map((entry) => entry.name), ['#general (11) text', '#memes (12) text']);
    assert.equal(outline[0]!.endLine, 6);
  });
});
