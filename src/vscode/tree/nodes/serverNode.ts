import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { archiveRunHistory, casPathFor, describeError, listSnapshots, readGuildIdentity, type ArchiveRunHistory, type SnapshotInfo } from '../../engine';
import { formatFullDateTime, plural } from '../../../core/text';
import { serverStatusDetail, serverStatusText, type ServerHistory } from '../../../presentation/serverStatus';
import type { ServerRef } from '../../servers/server';
import type { TreeContext } from '../treeContext';
import { ChannelsNode } from './channelsNode';
import { MessageNode } from './messageNode';
import { SnapshotsNode } from './snapshotsNode';
import { TreeNode } from './treeNode';

interface VaultSummary {
  hasVault: boolean;
  snapshots: SnapshotInfo[];
  runs: ArchiveRunHistory;
  /** The server's icon as the vault's media pool holds it. */
  iconFile?: string;
  error?: string;
}

/**
 * A Discord server: reachable through a connection, or only as a vault on disk (offline).
 * Its vault is read when the row is first shown (not when the node is made: a bot in 400
 * servers must not open 400 vaults to list them) and again after reload().
 */
export class ServerNode extends TreeNode {
  private summary: VaultSummary | undefined;
  private children: TreeNode[] | undefined;

  constructor(
    parent: TreeNode | undefined,
    readonly server: ServerRef,
    private readonly context: TreeContext,
  ) {
    super(parent);
  }

  get online(): boolean {
    return this.server.connectionId !== undefined;
  }

  /** The tree item id, unique in the view. */
  get id(): string {
    return ServerNode.idOf(this.server);
  }

  static idOf(server: ServerRef): string {
    return `server:${server.connectionId ?? 'offline'}:${server.guildId}`;
  }

  /** Forgets what was read from the vault: the next look reads it again (after a job wrote to it). */
  reload(): void {
    this.summary = undefined;
    this.children = undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const summary = this.readSummary();
    const { hasVault, snapshots, error } = summary;
    const busy = this.context.jobs.status(this.server.guildId);
    const item = new vscode.TreeItem(this.server.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ['server', this.online ? 'online' : 'offline', hasVault && 'hasVault', snapshots.length > 0 && 'hasSnapshots', busy && 'busy'].filter(Boolean).join('.');
    // The server's own icon once a backup has stored it in the media pool.
    item.iconPath = busy
      ? new vscode.ThemeIcon('sync~spin')
      : summary.iconFile
        ? vscode.Uri.file(summary.iconFile)
        : new vscode.ThemeIcon('server', this.online ? undefined : new vscode.ThemeColor('disabledForeground'));
    const history = this.history(summary);
    const status = busy ?? (error ? '⚠ vault unreadable' : serverStatusText(history));
    item.description = this.online ? status : `offline · ${status}`;
    const newest = snapshots[0];
    item.tooltip = [
      `${this.server.name} (${this.server.guildId})`,
      this.online ? 'Reachable through a connected bot.' : 'No connected bot can reach this server: its vault can be browsed, not backed up.',
      busy ? `Now ${busy}.` : serverStatusDetail(history),
      newest ? `${plural(snapshots.length, 'snapshot')}, the newest taken ${formatFullDateTime(newest.createdAt)}.` : '',
      error ? `Vault: ${error}` : hasVault ? `Vault: ${this.context.vaults.dirFor(this.server.guildId)}` : 'No vault yet: Back Up Server creates one.',
    ]
      .filter(Boolean)
      .join('\n');
    item.accessibilityInformation = { label: `Server ${this.server.name}, ${item.description}` };
    return item;
  }

  override getChildren(): TreeNode[] {
    this.children ??= this.makeChildren();
    return this.children;
  }

  private makeChildren(): TreeNode[] {
    const summary = this.readSummary();
    if (summary.error) return [MessageNode.error(this, summary.error)];
    if (!summary.hasVault) {
      return [
        new MessageNode(this, 'Not backed up yet: click to back it up', {
          icon: 'cloud-download',
          command: { command: 'guildVault.backUpServer', title: 'Back Up Server', arguments: [this.server] },
        }),
      ];
    }
    return [new SnapshotsNode(this, this.server, summary.snapshots), new ChannelsNode(this, this.server, this.context)];
  }

  private history(summary: VaultSummary): ServerHistory {
    return {
      hasVault: summary.hasVault,
      latestRun: summary.runs.latest,
      previousRunStartedAt: summary.runs.previous?.startedAt,
      // checkedAt: a backup of an unchanged server stores no snapshot, it marks the newest one as still current.
      newestSnapshotAt: summary.snapshots[0]?.checkedAt,
      snapshotTimes: summary.snapshots.flatMap((snapshot) => [snapshot.createdAt, snapshot.checkedAt]),
    };
  }

  private readSummary(): VaultSummary {
    this.summary ??= readSummary(this.server, this.context);
    return this.summary;
  }
}

function readSummary(server: ServerRef, context: TreeContext): VaultSummary {
  try {
    const summary = context.vaults.read(server.guildId, (vault): VaultSummary => {
      const sha = readGuildIdentity(vault)?.iconSha256;
      const iconFile = sha ? casPathFor(vault.casDir, sha) : undefined;
      return { hasVault: true, snapshots: listSnapshots(vault), runs: archiveRunHistory(vault), iconFile: iconFile && fs.existsSync(iconFile) ? iconFile : undefined };
    });
    return summary ?? { hasVault: false, snapshots: [], runs: {} };
  } catch (error) {
    context.log.warn(`${server.name}: cannot read its vault: ${describeError(error)}`);
    return { hasVault: true, snapshots: [], runs: {}, error: describeError(error) };
  }
}
