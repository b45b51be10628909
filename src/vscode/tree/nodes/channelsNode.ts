import * as vscode from 'vscode';
import { describeError, listArchivedChannels, type ArchivedChannel } from '../../engine';
import { buildChannelTree, ChannelKind } from '../../../presentation/channelText';
import { formatCount } from '../../../presentation/format';
import { treeKey, type ServerRef } from '../../servers/server';
import type { TreeContext } from '../treeContext';
import { ChannelNode } from './channelNode';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';

/** "Channels" under a server: the archive, by category, threads under their parents. */
export class ChannelsNode extends TreeNode {
  private channels: ArchivedChannel[] | undefined;
  private error: string | undefined;

  constructor(
    readonly server: ServerRef,
    private readonly context: TreeContext,
  ) {
    super();
    try {
      this.channels = context.vaults.read(server.guildId, (vault) => listArchivedChannels(vault)) ?? [];
    } catch (error) {
      this.error = describeError(error);
    }
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Channels', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `channels:${treeKey(this.server)}`;
    item.contextValue = this.server.connectionId ? 'channels.online' : 'channels.offline';
    item.iconPath = new vscode.ThemeIcon('comment-discussion');
    if (this.channels) {
      const messageChannels = this.channels.filter((channel) => channel.type !== ChannelKind.category);
      const messages = messageChannels.reduce((sum, channel) => sum + (channel.messageCount ?? 0), 0);
      item.description = `${formatCount(messageChannels.length)} · ${formatCount(messages)} msgs`;
    }
    item.tooltip = 'The message archive: every channel and thread the bot can read.';
    return item;
  }

  override getChildren(): TreeNode[] {
    if (this.error) return [MessageNode.error(this.error)];
    if (!this.channels?.length) return [new MessageNode('No messages archived yet', { icon: 'info' })];
    return buildChannelTree(this.channels).map((entry) => new ChannelNode(this.server, entry, this.context));
  }
}
