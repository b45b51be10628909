import * as vscode from 'vscode';
import { isCategory, type ArchivedChannel } from '../../engine';
import { channelDescription, channelLabel } from '../../../presentation/channelText';
import { channelIconId, type ChannelTreeEntry } from '../channelTree';
import { formatFullDateTime, plural } from '../../../core/text';
import { treeKey, type ServerRef } from '../../servers/server';
import { TreeNode } from './treeNode';

/** A category, channel, forum post or thread in the archive. Click: its transcript. */
export class ChannelNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly server: ServerRef,
    private readonly entry: ChannelTreeEntry<ArchivedChannel>,
  ) {
    super(parent);
  }

  get channel(): ArchivedChannel {
    return this.entry.channel;
  }

  /** Has something to read: messages were archived. */
  get archived(): boolean {
    return !isCategory(this.channel.type) && (this.channel.messageCount ?? 0) > 0;
  }

  getTreeItem(): vscode.TreeItem {
    const channel = this.channel;
    const collapsible = this.entry.children.length === 0 ? vscode.TreeItemCollapsibleState.None : isCategory(channel.type) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(channelLabel(channel), collapsible);
    item.id = `channel:${treeKey(this.server)}:${channel.id}`;
    item.contextValue = isCategory(channel.type) ? 'category' : ['channel', this.archived && 'archived', channel.problem && 'problem', this.server.connectionId && 'online'].filter(Boolean).join('.');
    item.description = channelDescription(channel, Date.now(), this.entry.children.length);
    item.iconPath = new vscode.ThemeIcon(channelIconId(channel.type), channel.problem ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    const lines = [`${channelLabel(channel)} (${channel.id})`];
    if (!isCategory(channel.type)) {
      lines.push(`${plural(channel.messageCount ?? 0, 'message')} archived`);
      lines.push(syncLine(channel));
    }
    item.tooltip = lines.join('\n');
    item.accessibilityInformation = { label: `${channelLabel(channel)}${item.description ? `, ${item.description}` : ''}` };
    if (this.archived) item.command = { command: 'guildVault.openTranscript', title: 'Open Transcript', arguments: [this] };
    return item;
  }

  override getChildren(): TreeNode[] {
    return this.entry.children.map((child) => new ChannelNode(this, this.server, child));
  }
}

/** When it was last synced, or why it cannot be: never "not synced yet" for a channel the bot cannot read. */
function syncLine(channel: ArchivedChannel): string {
  if (channel.status === 'no-access' || channel.status === 'no-history') return `Cannot be synced: ${channel.problem ?? 'the bot cannot read it'}`;
  if (channel.status === 'gone') return `Deleted on Discord${channel.lastSyncAt ? `; last synced ${formatFullDateTime(channel.lastSyncAt)}` : ''}`;
  const last = channel.lastSyncAt ? `Last sync ${formatFullDateTime(channel.lastSyncAt)}` : 'Not synced yet';
  return channel.problem ? `${last}\nProblem: ${channel.problem}` : last;
}
