import * as assert from 'node:assert/strict';
import { ChannelType } from 'discord-api-types/v10';
import {
  buildChannelTree,
  channelDescription,
  channelLabel,
  type ChannelDisplayInfo,
  type ChannelTreeEntry,
} from '../../src/presentation/channelText';

function shape(entries: ChannelTreeEntry<ChannelDisplayInfo>[]): unknown[] {
  return entries.map((entry) => (entry.children.length ? { [entry.channel.name]: shape(entry.children) } : entry.channel.name));
}

describe('presentation: channel tree', () => {
  it('nests channels under categories and threads under their parents, in sidebar order', () => {
    const channels: ChannelDisplayInfo[] = [
      { id: '100000000000000010', name: 'Voice', type: ChannelType.GuildCategory, position: 1 },
      { id: '100000000000000011', name: 'Text', type: ChannelType.GuildCategory, position: 0 },
      { id: '100000000000000020', name: 'general', type: ChannelType.GuildText, parentId: '100000000000000011', position: 1 },
      { id: '100000000000000021', name: 'rules', type: ChannelType.GuildText, parentId: '100000000000000011', position: 0 },
      { id: '100000000000000022', name: 'lounge', type: ChannelType.GuildVoice, parentId: '100000000000000010', position: 0 },
      { id: '100000000000000023', name: 'welcome', type: ChannelType.GuildText, position: 0 },
      { id: '100000000000000030', name: 'old thread', type: ChannelType.PublicThread, parentId: '100000000000000020' },
      { id: '100000000000000031', name: 'new thread', type: ChannelType.PublicThread, parentId: '100000000000000020' },
      { id: '100000000000000032', name: 'orphan thread', type: ChannelType.PublicThread, parentId: '999999999999999999' },
    ];
    assert.deepEqual(shape(buildChannelTree(channels)), [
      'welcome',
      'orphan thread',
      { Text: ['rules', { general: ['new thread', 'old thread'] }] },
      { Voice: ['lounge'] },
    ]);
  });

  it('labels and describes channels', () => {
    assert.equal(channelLabel({ name: 'general', type: ChannelType.GuildText }), '#general');
    assert.equal(channelLabel({ name: 'Lounge', type: ChannelType.GuildVoice }), 'Lounge');
    const now = Date.parse('2026-11-22T14:00:00Z');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 1234, lastSyncAt: now - 7_200_000 }, now), '1,234 msgs · 2h ago');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 0 }, now), '0 msgs · not synced yet');
    assert.equal(channelDescription({ id: '1', name: 'mods', type: 0, problem: 'missing Read Message History' }, now), '⚠ missing Read Message History');
    // A channel the bot cannot read says so in a few words; the sentence is the tooltip's.
    assert.equal(channelDescription({ id: '2', name: 'secret', type: 0, status: 'no-access', problem: 'The bot cannot see this channel (missing View Channel).' }, now), '⚠ the bot cannot see it');
    assert.equal(channelDescription({ id: '3', name: 'vent', type: 0, status: 'no-history', problem: 'The bot lacks Read Message History here, so Discord would return no messages; not archived.' }, now), '⚠ the bot lacks Read Message History');
    assert.equal(channelDescription({ id: '1', name: 'help', type: ChannelType.GuildForum, holdsMessages: false, messageCount: 0, lastSyncAt: now }, now, 12), '12 posts');
    assert.equal(channelDescription({ id: '1', name: 'big', type: 0, messageCount: 10, status: 'partial', lastSyncAt: now }, now), '10 msgs · history incomplete · just now');
    assert.equal(channelDescription({ id: '1', name: 'old', type: 0, messageCount: 3, status: 'gone', lastSyncAt: now }, now), 'deleted on Discord · 3 msgs');
  });
});
