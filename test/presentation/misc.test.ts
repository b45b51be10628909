import * as assert from 'node:assert/strict';
import { documentLocation, parseDocumentLocation, type DocumentRef } from '../../src/presentation/documentRefs';
import { backupPermissionBits, botInviteUrl } from '../../src/presentation/invite';
import { isSnapshotDue, scheduleCheckIntervalMs } from '../../src/presentation/schedule';

describe('presentation: guildvault: document URIs', () => {
  it('round-trips every kind of document', () => {
    const refs: DocumentRef[] = [
      { kind: 'snapshot', guildId: '123456789012345678', snapshotId: 5, title: 'My Server #5' },
      { kind: 'snapshot', guildId: '123456789012345678', snapshotId: 5, section: 'roles', title: 'Roles' },
      { kind: 'live', guildId: '123456789012345678', key: 'k1', title: 'My Server Live' },
      { kind: 'health', guildId: '123456789012345678', key: 'k2', title: 'My Server health' },
      { kind: 'transcript', guildId: '123456789012345678', channelId: '223456789012345678', month: '2024-05', aliases: true, title: '#general 2024-05' },
      { kind: 'transcript', guildId: '123456789012345678', channelId: '223456789012345678', aliases: false, title: '#general' },
    ];
    for (const ref of refs) assert.deepEqual(parseDocumentLocation(documentLocation(ref)), ref);
  });

  it('keeps titles usable as file names and rejects foreign paths', () => {
    const location = documentLocation({ kind: 'snapshot', guildId: '123456789012345678', snapshotId: 1, title: 'a/b: c' });
    assert.equal(location.path, '/123456789012345678/snapshot/1/a-b- c');
    assert.equal(parseDocumentLocation({ path: '/etc/passwd', query: '' }), undefined);
    assert.equal(parseDocumentLocation({ path: '/123/snapshot/x/t', query: '' }), undefined);
    assert.equal(parseDocumentLocation({ path: '/123/section/roles/Roles', query: 'snapshot=../1' }), undefined);
  });

  it('gives a section the same path in every snapshot (a diff shows it as modified, not renamed)', () => {
    const of = (snapshotId: number) => documentLocation({ kind: 'snapshot', guildId: '123', snapshotId, section: 'roles', title: 'Roles' });
    assert.equal(of(3).path, of(5).path);
    assert.notEqual(of(3).query, of(5).query);
  });
});

describe('presentation: automatic snapshot schedule', () => {
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

describe('presentation: bot invite link', () => {
  it('asks for the read permissions a full backup needs and nothing that writes messages', () => {
    const url = new URL(botInviteUrl('123456789012345678'));
    assert.equal(url.searchParams.get('client_id'), '123456789012345678');
    assert.equal(url.searchParams.get('scope'), 'bot');
    assert.equal(url.searchParams.get('permissions'), '17716806692');
    const SEND_MESSAGES = 1n << 11n;
    const ADMINISTRATOR = 1n << 3n;
    assert.equal(backupPermissionBits() & (SEND_MESSAGES | ADMINISTRATOR), 0n);
  });
});
