import type * as vscode from 'vscode';

/**
 * A node of the Servers tree. Each kind is a class in its own file; commands
 * receive the node they were invoked on and read what they need from it.
 * Every node knows its parent, so the view can reveal it.
 */
export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}

  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }
}
