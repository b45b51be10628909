import * as vscode from 'vscode';
import { registerBackupCommands } from './commands/backupCommands';
import { registerMigrateCommands } from './commands/migrateCommands';
import { registerChannelCommands } from './commands/channelCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerExportCommands } from './commands/exportCommands';
import { registerRestoreCommands } from './restore/restoreCommand';
import { registerBundleCommands } from './bundles/bundleCommands';
import { registerServerCommands } from './commands/serverCommands';
import { registerSnapshotCommands } from './commands/snapshotCommands';
import { registerSearchCommand } from './search/searchMessagesCommand';
import { ClientPool } from './connections/clientPool';
import { ConnectionStore } from './connections/connectionStore';
import { DemoServer } from './demo/demoServer';
import { JobWorkers } from './engine';
import { GuildVaultDocuments } from './documents/guildVaultDocuments';
import { JobRunner } from './jobs/jobRunner';
import { JobStatusBar } from './jobs/jobStatusBar';
import type { Log } from './log/log';
import { ServerCatalog } from './servers/serverCatalog';
import type { Services } from './services';
import { AutoSnapshots } from './snapshots/autoSnapshots';
import { ServersTreeProvider } from './tree/serversTreeProvider';
import { VaultAccess } from './vaults/vaultAccess';

/**
 * Builds the extension once its storage engine is selected. Everything is
 * disposed with the extension context.
 */
export function startGuildVault(context: vscode.ExtensionContext, log: Log): Services & { autoSnapshots: AutoSnapshots } {
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const connections = own(new ConnectionStore(context.globalState, context.secrets, log));
  const clients = own(new ClientPool(connections, log));
  const vaults = new VaultAccess(context);
  const catalog = new ServerCatalog(connections, clients, vaults, log);
  const tree = own(new ServersTreeProvider({ connections, catalog, vaults, log }));
  const workers = own(new JobWorkers());
  const services: Services = {
    extension: context,
    log,
    connections,
    clients,
    catalog,
    vaults,
    tree,
    documents: own(new GuildVaultDocuments(vaults, workers)),
    jobs: own(new JobRunner(log, own(new JobStatusBar()))),
    workers,
    demo: own(new DemoServer(log)),
  };

  const treeView = own(vscode.window.createTreeView('guildVault.servers', { treeDataProvider: tree, showCollapseAll: true }));
  // Descriptions say "2h ago": re-read them now and then while the view is on screen.
  const ageTicker = setInterval(() => {
    if (treeView.visible) tree.refresh();
  }, 60_000);
  own({ dispose: () => clearInterval(ageTicker) });
  for (const disposable of [
    ...registerConnectionCommands(services),
    ...registerBackupCommands(services),
    ...registerMigrateCommands(services),
    ...registerSnapshotCommands(services),
    ...registerChannelCommands(services),
    ...registerExportCommands(services),
    ...registerRestoreCommands(services),
    ...registerBundleCommands(services),
    ...registerServerCommands(services),
    ...registerSearchCommand(services),
  ]) {
    own(disposable);
  }
  const autoSnapshots = own(new AutoSnapshots(services));
  own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      // A different vault folder or API address changes what the tree shows.
      if (event.affectsConfiguration('guildVault.vaultDirectory') || event.affectsConfiguration('guildVault.apiBaseUrl')) {
        catalog.invalidate();
        tree.refresh();
      }
    }),
  );
  own(connections.onDidChange(() => tree.refresh()));
  log.info(`Guild Vault ${context.extension.packageJSON.version ?? ''} started; vaults in ${vaults.store().root}`);
  return { ...services, autoSnapshots };
}
