import * as vscode from 'vscode';
import { describeError } from '../engine';
import type { ConnectionStore } from '../connections/connectionStore';
import type { JobChange, JobRunner } from '../jobs/jobRunner';
import type { Log } from '../log/log';
import type { ServerCatalog } from '../servers/serverCatalog';
import type { VaultAccess } from '../vaults/vaultAccess';
import { ConnectionNode } from './nodes/connectionNode';
import { MessageNode } from './nodes/messageNode';
import { ServerNode } from './nodes/serverNode';
import type { TreeNode } from './nodes/treeNode';
import type { TreeContext } from './treeContext';

/**
 * How often a running job's row may be re-read: its status line changes many times a second. As
 * often as the notification's line (JobRunner's REPORT_INTERVAL_MS), so the two show the same count.
 */
const ROW_REFRESH_MS = 250;

/**
 * The "Servers" view: connected bots with their servers, then servers known
 * only from a vault on disk (offline). An empty tree shows the welcome content.
 * A job refreshes only its own server's row, never the whole tree.
 */
export class ServersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly context: TreeContext;
  /**
   * The server rows handed out, by tree item id (a server under two bots has two ids). The view
   * knows rows by object: a parent read again gets the same objects back, so refreshing one
   * refreshes what is on screen. A full refresh starts afresh.
   */
  private readonly serverRows = new Map<string, ServerNode>();
  private readonly pendingRows = new Map<string, NodeJS.Timeout>();
  private readonly jobListener: vscode.Disposable;

  constructor(parts: { connections: ConnectionStore; catalog: ServerCatalog; vaults: VaultAccess; jobs: JobRunner; log: Log }) {
    this.context = {
      ...parts,
      serverNode: (parent, server) => {
        const id = ServerNode.idOf(server);
        let node = this.serverRows.get(id);
        // Its parent may be an earlier object of the same bot row: the view knows parents by id.
        if (!node || node.server.name !== server.name) {
          node = new ServerNode(parent, server, this.context);
          this.serverRows.set(id, node);
        }
        return node;
      },
    };
    this.jobListener = parts.jobs.onDidChange(({ key, change }) => this.refreshServerRow(key, change));
  }

  /** Re-reads everything (Refresh, a connection or setting changed). */
  refresh(): void {
    this.serverRows.clear();
    this.changed.fire(undefined);
  }

  /** Re-reads one server's vault: its row and, if expanded, its snapshots and channels. */
  refreshServer(guildId: string): void {
    for (const node of this.rowsOf(guildId)) {
      node.reload();
      this.changed.fire(node);
    }
  }

  /** Re-reads the status line of every server row ("backed up 2h ago" ages). */
  refreshAges(): void {
    for (const node of this.serverRows.values()) this.changed.fire(node);
  }

  /**
   * The row of a job's server: at once when the job starts (Back Up becomes Cancel) or moves to
   * another phase (the row must not say "channel 17 of 34" while the notification says "Media"),
   * at most every 250 ms while it gets further in one, and with its vault re-read when it ends.
   */
  private refreshServerRow(guildId: string, change: JobChange['change']): void {
    if (change !== 'progress') {
      clearTimeout(this.pendingRows.get(guildId));
      this.pendingRows.delete(guildId);
      if (change === 'ended') this.refreshServer(guildId);
      else for (const node of this.rowsOf(guildId)) this.changed.fire(node);
      return;
    }
    if (this.pendingRows.has(guildId)) return;
    this.pendingRows.set(
      guildId,
      setTimeout(() => {
        this.pendingRows.delete(guildId);
        for (const node of this.rowsOf(guildId)) this.changed.fire(node);
      }, ROW_REFRESH_MS),
    );
  }

  private rowsOf(guildId: string): ServerNode[] {
    return [...this.serverRows.values()].filter((node) => node.server.guildId === guildId);
  }

  /** The row of a server now handed out (for reveal). */
  serverRow(guildId: string): ServerNode | undefined {
    return this.rowsOf(guildId)[0];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      return node ? await node.getChildren() : await this.roots();
    } catch (error) {
      this.context.log.error(`Servers view: ${describeError(error)}`);
      return [MessageNode.error(node, describeError(error))];
    }
  }

  dispose(): void {
    for (const timer of this.pendingRows.values()) clearTimeout(timer);
    this.jobListener.dispose();
    this.changed.dispose();
  }

  private async roots(): Promise<TreeNode[]> {
    const connections = this.context.connections.list();
    const reachable = new Set<string>();
    for (const connection of connections) {
      const list = await this.context.catalog.guildsOf(connection);
      if (list.ok) for (const guild of list.guilds) reachable.add(guild.id);
    }
    const offline = this.context.catalog.offlineServers(reachable).map((server) => this.context.serverNode(undefined, server));
    return [...connections.map((connection) => new ConnectionNode(connection, this.context)), ...offline];
  }
}
