import * as vscode from 'vscode';
import type { ArchivedChannel } from '../../engine';
import { channelDescription, channelIconId, channelLabel, ChannelKind, type ChannelTreeEntry } from '../../../presentation/channelText';
import { formatFullDateTime } from '../../../presentation/format';
import { treeKey, type ServerRef } from '../../servers/server';
import type { TreeContext } from '../treeContext';
import { TreeNode } from './treeNode';

/** A category, channel, forum post or thread in the archive. Click: its transcript. */
export class ChannelNode extends TreeNode {
  constructor(
    readonly server: ServerRef,
    private readonly entry: ChannelTreeEntry<ArchivedChannel>,
    private readonly context: TreeContext,
  ) {
    super();
  }

  get channel(): ArchivedChannel {
    return this.entry.channel;
  }

  /** Has something to read: messages were archived. */
  get archived(): boolean {
    return this.channel.type !== ChannelKind.category && (this.channel.messageCount ?? 0) > 0;
  }

  getTreeItem(): vscode.TreeItem {
    const channel = this.channel;
    const collapsible = this.entry.children.length === 0 ? vscode.TreeItemCollapsibleState.None : channel.type === ChannelKind.category ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(channelLabel(channel), collapsible);
    item.id = `channel:${treeKey(this.server)}:${channel.id}`;
    item.contextValue = channel.type === ChannelKind.category ? 'category' : ['channel', this.archived && 'archived', channel.problem && 'problem'].filter(Boolean).join('.');
    item.description = channelDescription(channel, Date.now(), this.entry.children.length);
    item.iconPath = new vscode.ThemeIcon(channelIconId(channel.type), channel.problem ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    const lines = [`${channelLabel(channel)} (${channel.id})`];
    if (channel.type !== ChannelKind.category) {
      lines.push(`${channel.messageCount ?? 0} messages archived`);
      lines.push(channel.lastSyncAt ? `Last sync ${formatFullDateTime(channel.lastSyncAt)}` : 'Not synced yet');
      if (channel.problem) lines.push(`Problem: ${channel.problem}`);
    }
    item.tooltip = lines.join('\n');
    if (this.archived) item.command = { command: 'guildVault.openTranscript', title: 'Open Transcript', arguments: [this] };
    return item;
  }

  override getChildren(): TreeNode[] {
    return this.entry.children.map((child) => new ChannelNode(this.server, child, this.context));
  }
}
