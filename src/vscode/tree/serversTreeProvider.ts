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

/** How often a running job's row may be re-read: its status line changes many times a second. */
const ROW_REFRESH_MS = 1000;
/** Row instances kept per id (see serverRows). */
const ROWS_KEPT = 4;

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
   * knows rows by object, so every instance given out for an id is kept (a few at most: a new one
   * is made each time its parent is read again) and refreshed.
   */
  private readonly serverRows = new Map<string, ServerNode[]>();
  private readonly pendingRows = new Map<string, NodeJS.Timeout>();
  private readonly jobListener: vscode.Disposable;

  constructor(parts: { connections: ConnectionStore; catalog: ServerCatalog; vaults: VaultAccess; jobs: JobRunner; log: Log }) {
    this.context = { ...parts, track: (node) => this.serverRows.set(node.id, [...(this.serverRows.get(node.id) ?? []).slice(-(ROWS_KEPT - 1)), node]) };
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
    for (const nodes of this.serverRows.values()) for (const node of nodes) this.changed.fire(node);
  }

  /**
   * The row of a job's server: at once when the job starts (Back Up becomes Cancel), at most
   * every second while it runs, and with its vault re-read when it ends.
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
    return [...this.serverRows.values()].flat().filter((node) => node.server.guildId === guildId);
  }

  /** The newest row handed out for a server (for reveal). */
  serverRow(guildId: string): ServerNode | undefined {
    return this.rowsOf(guildId).pop();
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
    const offline = this.context.catalog.offlineServers(reachable).map((server) => new ServerNode(undefined, server, this.context));
    return [...connections.map((connection) => new ConnectionNode(connection, this.context)), ...offline];
  }
}
