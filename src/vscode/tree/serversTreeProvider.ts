import * as vscode from 'vscode';
import { describeError } from '../engine';
import { ConnectionNode } from './nodes/connectionNode';
import { MessageNode } from './nodes/messageNode';
import { ServerNode } from './nodes/serverNode';
import type { TreeNode } from './nodes/treeNode';
import type { TreeContext } from './treeContext';

/**
 * The "Servers" view: connected bots with their servers, then servers known
 * only from a vault on disk (offline). An empty tree shows the welcome content.
 */
export class ServersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly context: TreeContext) {}

  /** Re-reads everything below `node` (everything when omitted). */
  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      return node ? await node.getChildren() : await this.roots();
    } catch (error) {
      this.context.log.error(`Servers view: ${describeError(error)}`);
      return [MessageNode.error(describeError(error))];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async roots(): Promise<TreeNode[]> {
    const connections = this.context.connections.list();
    const reachable = new Set<string>();
    for (const connection of connections) {
      const list = await this.context.catalog.guildsOf(connection);
      if (list.ok) for (const guild of list.guilds) reachable.add(guild.id);
    }
    const offline = this.context.catalog.offlineServers(reachable).map((server) => new ServerNode(server, this.context));
    return [...connections.map((connection) => new ConnectionNode(connection, this.context)), ...offline];
  }
}
