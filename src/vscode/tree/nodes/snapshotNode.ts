import * as vscode from 'vscode';
import type { SnapshotInfo } from '../../engine';
import { snapshotChangeSummary, snapshotLabel, snapshotTooltip } from '../../../presentation/snapshotText';
import { treeKey, type ServerRef } from '../../servers/server';
import { TreeNode } from './treeNode';

const KIND_ICONS: Record<string, string> = {
  manual: 'device-camera',
  automatic: 'watch',
  'pre-restore': 'debug-restart',
  import: 'cloud-upload',
};

/** One structure snapshot. Click: open it; context menu: compare, pin, label, delete. */
export class SnapshotNode extends TreeNode {
  constructor(
    readonly server: ServerRef,
    readonly snapshot: SnapshotInfo,
    readonly hasPrevious: boolean,
  ) {
    super();
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
    item.description = snapshotChangeSummary(this.snapshot);
    item.iconPath = new vscode.ThemeIcon(this.snapshot.pinned ? 'pinned' : (KIND_ICONS[this.snapshot.kind] ?? 'history'));
    item.tooltip = snapshotTooltip(this.snapshot);
    item.command = { command: 'guildVault.openSnapshot', title: 'Open Snapshot', arguments: [this] };
    return item;
  }
}
