import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { casPathFor, describeError, listSnapshots, readGuildIdentity, type SnapshotInfo } from '../../engine';
import { formatAgoShort, formatFullDateTime, plural } from '../../../presentation/format';
import type { ServerRef } from '../../servers/server';
import type { TreeContext } from '../treeContext';
import { ChannelsNode } from './channelsNode';
import { MessageNode } from './messageNode';
import { SnapshotsNode } from './snapshotsNode';
import { TreeNode } from './treeNode';

interface VaultSummary {
  hasVault: boolean;
  snapshots: SnapshotInfo[];
  /** The server's icon as the vault's media pool holds it. */
  iconFile?: string;
  error?: string;
}

/** A Discord server: reachable through a connection, or only as a vault on disk (offline). */
export class ServerNode extends TreeNode {
  private readonly summary: VaultSummary;

  constructor(
    readonly server: ServerRef,
    private readonly context: TreeContext,
  ) {
    super();
    this.summary = readSummary(server, context);
  }

  get online(): boolean {
    return this.server.connectionId !== undefined;
  }

  getTreeItem(): vscode.TreeItem {
    const { hasVault, snapshots, error } = this.summary;
    const item = new vscode.TreeItem(this.server.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `server:${this.server.connectionId ?? 'offline'}:${this.server.guildId}`;
    item.contextValue = ['server', this.online ? 'online' : 'offline', hasVault && 'hasVault', snapshots.length > 0 && 'hasSnapshots'].filter(Boolean).join('.');
    // The server's own icon once a backup has stored it in the media pool.
    item.iconPath = this.summary.iconFile ? vscode.Uri.file(this.summary.iconFile) : new vscode.ThemeIcon('server', this.online ? undefined : new vscode.ThemeColor('disabledForeground'));
    const newest = snapshots[0];
    const parts: string[] = [];
    if (!this.online) parts.push('offline');
    if (error) parts.push('⚠ vault unreadable');
    else if (!hasVault) parts.push('not backed up');
    else if (newest) parts.push(`backed up ${formatAgoShort(newest.createdAt)}`);
    item.description = parts.join(' · ');
    item.tooltip = [
      `${this.server.name} (${this.server.guildId})`,
      this.online ? 'Reachable through a connected bot.' : 'No connected bot can reach this server: its vault can be browsed, not backed up.',
      newest ? `${plural(snapshots.length, 'snapshot')}, the newest ${formatFullDateTime(newest.createdAt)}` : '',
      error ? `Vault: ${error}` : hasVault ? `Vault: ${this.context.vaults.dirFor(this.server.guildId)}` : 'No vault yet: Back Up Server creates one.',
    ]
      .filter(Boolean)
      .join('\n');
    return item;
  }

  override getChildren(): TreeNode[] {
    if (this.summary.error) return [MessageNode.error(this.summary.error)];
    if (!this.summary.hasVault) {
      return [
        new MessageNode('Not backed up yet: click to back it up', {
          icon: 'cloud-download',
          command: { command: 'guildVault.backUpServer', title: 'Back Up Server', arguments: [this.server] },
        }),
      ];
    }
    return [new SnapshotsNode(this.server, this.summary.snapshots, this.context), new ChannelsNode(this.server, this.context)];
  }
}

function readSummary(server: ServerRef, context: TreeContext): VaultSummary {
  try {
    const summary = context.vaults.read(server.guildId, (vault): VaultSummary => {
      const sha = readGuildIdentity(vault)?.iconSha256;
      const iconFile = sha ? casPathFor(vault.casDir, sha) : undefined;
      return { hasVault: true, snapshots: listSnapshots(vault), iconFile: iconFile && fs.existsSync(iconFile) ? iconFile : undefined };
    });
    return summary ?? { hasVault: false, snapshots: [] };
  } catch (error) {
    context.log.warn(`${server.name}: cannot read its vault: ${describeError(error)}`);
    return { hasVault: true, snapshots: [], error: describeError(error) };
  }
}
