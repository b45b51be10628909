import * as vscode from 'vscode';
import type { SnapshotInfo } from '../../engine';
import { snapshotLabel, snapshotTooltip } from '../../../presentation/snapshotText';
import { treeKey, type ServerRef } from '../../servers/server';
import { TreeNode } from './treeNode';
import { formatChangeSummary } from '../../../core/text';

const KIND_ICONS: Record<string, string> = {
  manual: 'device-camera',
  automatic: 'watch',
  'pre-restore': 'debug-restart',
  import: 'cloud-upload',
};

/** One structure snapshot. Click: open it; context menu: compare, pin, label, delete. */
export class SnapshotNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly server: ServerRef,
    readonly snapshot: SnapshotInfo,
    readonly hasPrevious: boolean,
    readonly newest: boolean,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(snapshotLabel(this.snapshot), vscode.TreeItemCollapsibleState.None);
    item.id = `snapshot:${treeKey(this.server)}:${this.snapshot.id}`;
    item.contextValue = [
      'snapshot',
      this.snapshot.pinned ? 'pinned' : 'unpinned',
      this.hasPrevious && 'hasPrevious',
      this.server.connectionId && 'online',
    ]
      .filter(Boolean)
      .join('.');
    item.description = this.hasPrevious ? formatChangeSummary(this.snapshot.summary) : 'first';
    item.iconPath = new vscode.ThemeIcon(this.snapshot.pinned ? 'pinned' : (KIND_ICONS[this.snapshot.kind] ?? 'history'));
    item.tooltip = snapshotTooltip(this.snapshot, { first: !this.hasPrevious });
    item.command = { command: 'guildVault.openSnapshot', title: 'Open Snapshot', arguments: [this] };
    item.accessibilityInformation = { label: `Snapshot ${item.label}${this.snapshot.pinned ? ', pinned' : ''}, ${this.hasPrevious ? formatChangeSummary(this.snapshot.summary, { words: true }) : 'the first'}` };
    return item;
  }
}
