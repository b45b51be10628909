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
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
