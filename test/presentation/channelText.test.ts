import * as assert from 'node:assert/strict';
import {
  buildChannelTree,
  channelDescription,
  channelLabel,
  ChannelKind,
  type ChannelDisplayInfo,
  type ChannelTreeEntry,
} from '../../src/presentation/channelText';

function shape(entries: ChannelTreeEntry<ChannelDisplayInfo>[]): unknown[] {
  return entries.map((entry) => (entry.children.length ? { [entry.channel.name]: shape(entry.children) } : entry.channel.name));
}

describe('presentation: channel tree', () => {
  it('nests channels under categories and threads under their parents, in sidebar order', () => {
    const channels: ChannelDisplayInfo[] = [
      { id: '100000000000000010', name: 'Voice', type: ChannelKind.category, position: 1 },
      { id: '100000000000000011', name: 'Text', type: ChannelKind.category, position: 0 },
      { id: '100000000000000020', name: 'general', type: ChannelKind.text, parentId: '100000000000000011', position: 1 },
      { id: '100000000000000021', name: 'rules', type: ChannelKind.text, parentId: '100000000000000011', position: 0 },
      { id: '100000000000000022', name: 'lounge', type: ChannelKind.voice, parentId: '100000000000000010', position: 0 },
      { id: '100000000000000023', name: 'welcome', type: ChannelKind.text, position: 0 },
      { id: '100000000000000030', name: 'old thread', type: ChannelKind.publicThread, parentId: '100000000000000020' },
      { id: '100000000000000031', name: 'new thread', type: ChannelKind.publicThread, parentId: '100000000000000020' },
      { id: '100000000000000032', name: 'orphan thread', type: ChannelKind.publicThread, parentId: '999999999999999999' },
    ];
    assert.deepEqual(shape(buildChannelTree(channels)), [
      'welcome',
      'orphan thread',
      { Text: ['rules', { general: ['new thread', 'old thread'] }] },
      { Voice: ['lounge'] },
    ]);
  });

  it('labels and describes channels', () => {
    assert.equal(channelLabel({ name: 'general', type: ChannelKind.text }), '#general');
    assert.equal(channelLabel({ name: 'Lounge', type: ChannelKind.voice }), 'Lounge');
    const now = Date.parse('2026-11-22T14:00:00Z');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 1234, lastSyncAt: now - 7_200_000 }, now), '1,234 msgs · 2h ago');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 0 }, now), '0 msgs · not synced yet');
    assert.equal(channelDescription({ id: '1', name: 'mods', type: 0, problem: 'missing Read Message History' }, now), '⚠ missing Read Message History');
    assert.equal(channelDescription({ id: '1', name: 'help', type: ChannelKind.forum, holdsMessages: false, messageCount: 0, lastSyncAt: now }, now, 12), '12 posts');
    assert.equal(channelDescription({ id: '1', name: 'big', type: 0, messageCount: 10, status: 'partial', lastSyncAt: now }, now), '10 msgs · history incomplete · just now');
    assert.equal(channelDescription({ id: '1', name: 'old', type: 0, messageCount: 3, status: 'gone', lastSyncAt: now }, now), 'deleted on Discord · 3 msgs');
  });
});
