import * as vscode from 'vscode';
import { describeError, isCategory, listArchivedChannels, type ArchivedChannel } from '../../engine';
import { buildChannelTree } from '../channelTree';
import { formatCount } from '../../../core/text';
import { treeKey, type ServerRef } from '../../servers/server';
import type { TreeContext } from '../treeContext';
import { ChannelNode } from './channelNode';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';

/** "Channels" under a server: the archive, by category, threads under their parents. */
export class ChannelsNode extends TreeNode {
  private loaded: { channels: ArchivedChannel[] } | { error: string } | undefined;

  constructor(
    parent: TreeNode,
    readonly server: ServerRef,
    private readonly context: TreeContext,
  ) {
    super(parent);
  }

  /** Read from the vault when first shown, then kept until the server row reloads. */
  private load(): { channels: ArchivedChannel[] } | { error: string } {
    if (!this.loaded) {
      try {
        this.loaded = { channels: this.context.vaults.read(this.server.guildId, (vault) => listArchivedChannels(vault)) ?? [] };
      } catch (error) {
        this.loaded = { error: describeError(error) };
      }
    }
    return this.loaded;
  }

  getTreeItem(): vscode.TreeItem {
    const loaded = this.load();
    const item = new vscode.TreeItem('Channels', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `channels:${treeKey(this.server)}`;
    item.contextValue = this.server.connectionId ? 'channels.online' : 'channels.offline';
    item.iconPath = new vscode.ThemeIcon('comment-discussion');
    if ('channels' in loaded) {
      const messageChannels = loaded.channels.filter((channel) => !isCategory(channel.type));
      const messages = messageChannels.reduce((sum, channel) => sum + (channel.messageCount ?? 0), 0);
      item.description = `${formatCount(messageChannels.length)} · ${formatCount(messages)} msgs`;
      item.accessibilityInformation = { label: `Channels, ${formatCount(messageChannels.length)} channels, ${formatCount(messages)} messages archived` };
    }
    item.tooltip = 'The message archive: every channel and thread the bot can read.';
    return item;
  }

  override getChildren(): TreeNode[] {
    const loaded = this.load();
    if ('error' in loaded) return [MessageNode.error(this, loaded.error)];
    if (!loaded.channels.length) return [new MessageNode(this, 'No messages archived yet', { icon: 'info' })];
    return buildChannelTree(loaded.channels).map((entry) => new ChannelNode(this, this.server, entry));
  }
}
