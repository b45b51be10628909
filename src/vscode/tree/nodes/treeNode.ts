import type * as vscode from 'vscode';

/**
 * A node of the Servers tree. Each kind is a class in its own file; commands
 * receive the node they were invoked on and read what they need from it.
 */
export abstract class TreeNode {
  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }
}
