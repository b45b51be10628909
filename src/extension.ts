import * as vscode from 'vscode';
import { Log } from './vscode/log/log';
import { detectNodeSqlite } from './vscode/runtime/sqliteSupport';

/**
 * What activate() returns, for other extensions and the in-VS Code suite
 * (test/vscode): the Servers tree's data, and the automatic-snapshot check the
 * schedule runs (so it can be run now rather than waited for).
 */
export interface GuildVaultApi {
  serversTree: vscode.TreeDataProvider<unknown>;
  /** Takes the automatic snapshots that are due (per guildVault.snapshots.autoIntervalHours); resolves to how many. */
  runAutomaticSnapshots(now?: number): Promise<number>;
  /** Runs the scheduled backups that are due (per guildVault.backup.autoIntervalHours); resolves to how many. */
  runScheduledBackups(now?: number): Promise<number>;
  /** Shows a server's row in the Servers view (reveal: every row knows its parent). */
  revealServer(guildId: string): Promise<boolean>;
}

/**
 * Wires the VS Code layer together; the pieces live in src/vscode. The
 * engine is loaded only after node:sqlite is known to exist, so an old VS Code
 * gets a clear message rather than a failed activation.
 */
export async function activate(context: vscode.ExtensionContext): Promise<GuildVaultApi | undefined> {
  const log = new Log();
  context.subscriptions.push(log);
  const sqlite = detectNodeSqlite();
  if (!sqlite.ok) {
    log.error(`node:sqlite is not available in this VS Code (Node ${process.versions.node}): ${sqlite.reason}`);
    await vscode.commands.executeCommand('setContext', 'guildVault.unsupportedRuntime', true);
    context.subscriptions.push(vscode.commands.registerCommand('guildVault.showLog', () => log.show()));
    void vscode.window.showErrorMessage(
      `Guild Vault: needs VS Code 1.101 or later: its vaults use the SQLite built into Node.js 22.13+, and this VS Code runs Node ${process.versions.node}. Update VS Code.`,
    );
    return undefined;
  }
  // A require, not an import at the top: esbuild then initialises the engine only here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startGuildVault } = require('./vscode/activation') as typeof import('./vscode/activation');
  const services = startGuildVault(context, log);
  return {
    serversTree: services.tree,
    runAutomaticSnapshots: (now) => services.autoSnapshots.check(now),
    runScheduledBackups: (now) => services.scheduledBackups.check(now),
    revealServer: async (guildId) => {
      const row = services.tree.serverRow(guildId);
      if (!row) return false;
      await services.treeView.reveal(row, { select: true, focus: false, expand: false });
      return true;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
