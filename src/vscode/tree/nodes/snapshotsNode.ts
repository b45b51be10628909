import * as vscode from 'vscode';
import type { SnapshotInfo } from '../../engine';
import { formatCount } from '../../../core/text';
import { treeKey, type ServerRef } from '../../servers/server';
import { MessageNode } from './messageNode';
import { SnapshotNode } from './snapshotNode';
import { TreeNode } from './treeNode';

/** "Snapshots" under a server: its structure snapshots, newest first. */
export class SnapshotsNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly server: ServerRef,
    private readonly snapshots: SnapshotInfo[],
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Snapshots', vscode.TreeItemCollapsibleState.Expanded);
    item.id = `snapshots:${treeKey(this.server)}`;
    item.contextValue = [this.server.connectionId ? 'snapshots.online' : 'snapshots.offline', this.snapshots.length > 1 && 'hasSnapshots'].filter(Boolean).join('.');
    item.iconPath = new vscode.ThemeIcon('history');
    item.description = formatCount(this.snapshots.length);
    item.tooltip = 'Structure snapshots: roles, channels, permissions, bans and more, as they were when each was taken.';
    item.accessibilityInformation = { label: `Snapshots, ${formatCount(this.snapshots.length)}` };
    return item;
  }

  override getChildren(): TreeNode[] {
    if (this.snapshots.length === 0) {
      return [new MessageNode(this, 'No snapshots yet', { icon: 'info' })];
    }
    // A snapshot has a previous one unless it is the oldest.
    const sorted = [...this.snapshots].sort((a, b) => b.id - a.id);
    return sorted.map((snapshot, index) => new SnapshotNode(this, this.server, snapshot, index < sorted.length - 1, index === 0));
  }
}
