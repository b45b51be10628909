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
import { JobWorkers, SPARE_WORKER_IDLE_MS } from './engine';
import { GuildVaultDocuments } from './documents/guildVaultDocuments';
import { SnapshotSymbols } from './documents/snapshotSymbols';
import { JobRunner } from './jobs/jobRunner';
import { JobStatusBar } from './jobs/jobStatusBar';
import type { Log } from './log/log';
import { automaticSnapshots, scheduledBackups } from './schedules/schedules';
import type { IntervalSchedule } from './schedules/intervalSchedule';
import { ServerCatalog } from './servers/serverCatalog';
import type { Services } from './services';
import { ContextKeys } from './tree/contextKeys';
import { ServersTreeProvider } from './tree/serversTreeProvider';
import { VaultAccess } from './vaults/vaultAccess';

export interface StartedGuildVault extends Services {
  autoSnapshots: IntervalSchedule;
  scheduledBackups: IntervalSchedule;
}

/**
 * Builds the extension once its storage engine is selected. Everything is
 * disposed with the extension context.
 */
export function startGuildVault(context: vscode.ExtensionContext, log: Log): StartedGuildVault {
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const connections = own(new ConnectionStore(context.globalState, context.secrets, log));
  const clients = own(new ClientPool(connections, log));
  const vaults = new VaultAccess(context);
  const catalog = new ServerCatalog(connections, clients, vaults, log);
  const jobs = own(new JobRunner(log, own(new JobStatusBar())));
  const tree = own(new ServersTreeProvider({ connections, catalog, vaults, jobs, log }));
  const contextKeys = own(new ContextKeys({ connections, vaults, jobs, log }));
  const treeView = own(vscode.window.createTreeView('guildVault.servers', { treeDataProvider: tree, showCollapseAll: true }));
  const workers = own(new JobWorkers({ spareIdleMs: SPARE_WORKER_IDLE_MS }));
  const services: Services = {
    extension: context,
    log,
    connections,
    clients,
    catalog,
    vaults,
    tree,
    documents: own(new GuildVaultDocuments(vaults, workers)),
    jobs,
    workers,
    demo: own(new DemoServer(log)),
    contextKeys,
    treeView,
  };
  own(SnapshotSymbols.register());

  // Descriptions say "2h ago": re-read the server rows now and then while the view is on screen.
  const ageTicker = setInterval(() => {
    if (treeView.visible) tree.refreshAges();
  }, 60_000);
  own({ dispose: () => clearInterval(ageTicker) });
  // A click in the view runs a job (a transcript, a channel's months, a search): have its worker started by then.
  own(treeView.onDidChangeVisibility((event) => event.visible && workers.startAhead()));
  if (treeView.visible) workers.startAhead();
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
  const started: StartedGuildVault = { ...services, autoSnapshots: own(automaticSnapshots(services)), scheduledBackups: own(scheduledBackups(services)) };
  own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      // A different vault folder or API address changes what the tree shows.
      if (event.affectsConfiguration('guildVault.vaultDirectory') || event.affectsConfiguration('guildVault.apiBaseUrl')) {
        catalog.invalidate();
        tree.refresh();
        services.documents.refreshOpen();
        void contextKeys.update();
      }
    }),
  );
  own(connections.onDidChange(() => tree.refresh()));
  log.info(`Guild Vault ${context.extension.packageJSON.version ?? ''} started; vaults in ${vaults.store().root}`);
  return started;
}
