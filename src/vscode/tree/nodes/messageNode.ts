import * as vscode from 'vscode';
import { TreeNode } from './treeNode';

/** A line of text in the tree: an empty state, an error, a hint with a command. */
export class MessageNode extends TreeNode {
  constructor(
    parent: TreeNode | undefined,
    private readonly label: string,
    private readonly options: { icon?: string; color?: string; tooltip?: string; command?: vscode.Command; id?: string } = {},
  ) {
    super(parent);
  }

  static error(parent: TreeNode | undefined, text: string, id?: string): MessageNode {
    return new MessageNode(parent, text, { icon: 'error', color: 'problemsErrorIcon.foreground', tooltip: text, id });
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.contextValue = 'message';
    if (this.options.id) item.id = this.options.id;
    if (this.options.icon) item.iconPath = new vscode.ThemeIcon(this.options.icon, this.options.color ? new vscode.ThemeColor(this.options.color) : undefined);
    if (this.options.tooltip) item.tooltip = this.options.tooltip;
    if (this.options.command) item.command = this.options.command;
    item.accessibilityInformation = { label: this.label, role: this.options.command ? 'button' : 'treeitem' };
    return item;
  }
}
