import * as vscode from 'vscode';
import { Log } from './vscode/log/log';
import { startGuildVault } from './vscode/activation';
import { currentSelection, startStorageEngine } from './vscode/storage/storageEngine';

/**
 * What activate() returns, for other extensions and the in-VS Code suite
 * (test/vscode): the Servers tree's data, and the automatic-snapshot check the
 * schedule runs (so it can be run now rather than waited for).
 */
export interface GuildVaultApi {
  serversTree: vscode.TreeDataProvider<unknown>;
  /** Takes the automatic snapshots that are due (per guildVault.snapshots.autoIntervalHours); resolves to how many. */
  runAutomaticSnapshots(now?: number): Promise<number>;
  /** The SQLite engine vaults open with now ('native' or 'wasm'), per guildVault.storage.engine. */
  storageEngine(): string | undefined;
  /** Runs the scheduled backups that are due (per guildVault.backup.autoIntervalHours); resolves to how many. */
  runScheduledBackups(now?: number): Promise<number>;
  /** Shows a server's row in the Servers view (reveal: every row knows its parent). */
  revealServer(guildId: string): Promise<boolean>;
}

/**
 * Wires the VS Code layer together; the pieces live in src/vscode. The vault's
 * SQLite engine is selected first (node:sqlite, or WebAssembly SQLite on a
 * VS Code whose Node lacks it), so every vault opened later has one.
 */
export async function activate(context: vscode.ExtensionContext): Promise<GuildVaultApi> {
  const log = new Log();
  context.subscriptions.push(log);
  context.subscriptions.push(await startStorageEngine(log));
  const services = startGuildVault(context, log);
  return {
    serversTree: services.tree,
    runAutomaticSnapshots: (now) => services.autoSnapshots.check(now),
    storageEngine: () => currentSelection()?.engine.name,
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
