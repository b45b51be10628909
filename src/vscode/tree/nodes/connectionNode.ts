import * as vscode from 'vscode';
import type { Connection } from '../../connections/connection';
import { readSettings } from '../../settings/settings';
import type { TreeContext } from '../treeContext';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';

/** A connected bot; its children are the servers it is in. */
export class ConnectionNode extends TreeNode {
  constructor(
    readonly connection: Connection,
    private readonly context: TreeContext,
  ) {
    super(undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.connection.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `connection:${this.connection.id}`;
    item.contextValue = this.connection.demo ? 'connection.demo' : 'connection';
    item.iconPath = new vscode.ThemeIcon(this.connection.demo ? 'beaker' : 'hubot');
    const api = this.connection.apiBaseUrl ?? readSettings().apiBaseUrl;
    item.description = this.connection.demo ? 'demo emulator' : api.startsWith('https://discord.com/') ? 'bot' : `bot · ${hostOf(api)}`;
    item.tooltip = `${this.connection.name} (bot ${this.connection.id})\nAPI: ${api}${this.connection.demo ? '\nThe demo emulator runs inside this VS Code window.' : ''}`;
    item.accessibilityInformation = { label: `Bot ${this.connection.name}, ${item.description}` };
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    const list = await this.context.catalog.guildsOf(this.connection);
    if (!list.ok) return [MessageNode.error(this, list.error, `connection:${this.connection.id}:error`)];
    if (list.guilds.length === 0) {
      return [new MessageNode(this, 'This bot is in no server yet: invite it to one, then refresh.', { icon: 'info' })];
    }
    const earlier = await this.context.catalog.guildsOfEarlierConnections(this.connection.id);
    return list.guilds.map((guild) => {
      const server = { guildId: guild.id, name: guild.name, connectionId: this.connection.id };
      return this.context.serverNode(this, earlier.has(guild.id) ? { ...server, treeScope: this.connection.id } : server);
    });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
