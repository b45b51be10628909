import * as assert from 'node:assert/strict';
import { ChannelType } from 'discord-api-types/v10';
import type { ChannelDisplayInfo } from '../../../src/presentation/channelText';
import { buildChannelTree, channelIconId, type ChannelTreeEntry } from '../../../src/vscode/tree/channelTree';

// The tree's shape and icons; plain (no vscode import), so tested under mocha.
function shape(entries: ChannelTreeEntry<ChannelDisplayInfo>[]): unknown[] {
  return entries.map((entry) => (entry.children.length ? { [entry.channel.name]: shape(entry.children) } : entry.channel.name));
}

describe('vscode: the Channels tree', () => {
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

  it('gives each kind of channel its codicon', () => {
    const icons = Object.fromEntries(
      (['GuildCategory', 'GuildText', 'GuildVoice', 'GuildStageVoice', 'GuildAnnouncement', 'GuildForum', 'GuildMedia', 'PublicThread', 'AnnouncementThread', 'PrivateThread'] as const).map((kind) => [kind, channelIconId(ChannelType[kind])]),
    );
    assert.deepEqual(icons, {
      GuildCategory: 'folder',
      GuildText: 'comment',
      GuildVoice: 'unmute',
      GuildStageVoice: 'broadcast',
      GuildAnnouncement: 'megaphone',
      GuildForum: 'comment-discussion',
      GuildMedia: 'file-media',
      PublicThread: 'reply',
      AnnouncementThread: 'reply',
      PrivateThread: 'lock',
    });
    assert.equal(channelIconId(99), 'comment', 'a type Discord adds later shows as a plain channel');
  });
});
