import * as assert from 'node:assert/strict';
import { ChannelType } from 'discord-api-types/v10';
import { channelDescription, channelLabel } from '../../src/presentation/channelText';

describe('presentation: channel words', () => {
  it('labels and describes channels', () => {
    assert.equal(channelLabel({ name: 'general', type: ChannelType.GuildText }), '#general');
    assert.equal(channelLabel({ name: 'Lounge', type: ChannelType.GuildVoice }), 'Lounge');
    const now = Date.parse('2026-11-22T14:00:00Z');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 1234, lastSyncAt: now - 7_200_000 }, now), '1,234 msgs · 2h ago');
    assert.equal(channelDescription({ id: '1', name: 'general', type: 0, messageCount: 0 }, now), '0 msgs · not synced yet');
    assert.equal(channelDescription({ id: '1', name: 'mods', type: 0, problem: 'missing Read Message History' }, now), '⚠ missing Read Message History');
    assert.equal(channelDescription({ id: '1', name: 'help', type: ChannelType.GuildForum, holdsMessages: false, messageCount: 0, lastSyncAt: now }, now, 12), '12 posts');
    assert.equal(channelDescription({ id: '1', name: 'big', type: 0, messageCount: 10, status: 'partial', lastSyncAt: now }, now), '10 msgs · history incomplete · just now');
    assert.equal(channelDescription({ id: '1', name: 'old', type: 0, messageCount: 3, status: 'gone', lastSyncAt: now }, now), 'deleted on Discord · 3 msgs');
  });
});
