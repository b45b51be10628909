import * as assert from 'node:assert/strict';
import { documentLocation, parseDocumentLocation, type DocumentRef } from '../../../src/vscode/documents/documentRefs';

// The guildvault: URIs of the documents the extension opens; plain (no vscode import), so tested under mocha.
describe('vscode: guildvault: document URIs', () => {
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
