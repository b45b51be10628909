import type * as vscode from 'vscode';
import type { ClientPool } from './connections/clientPool';
import type { ConnectionStore } from './connections/connectionStore';
import type { DemoServer } from './demo/demoServer';
import type { JobWorkers } from './engine';
import type { GuildVaultDocuments } from './documents/guildVaultDocuments';
import type { JobRunner } from './jobs/jobRunner';
import type { Log } from './log/log';
import type { ServerCatalog } from './servers/serverCatalog';
import type { ContextKeys } from './tree/contextKeys';
import type { TreeNode } from './tree/nodes/treeNode';
import type { ServersTreeProvider } from './tree/serversTreeProvider';
import type { VaultAccess } from './vaults/vaultAccess';

/** The extension's long-lived parts, built once in activation and handed to the commands. */
export interface Services {
  extension: vscode.ExtensionContext;
  log: Log;
  connections: ConnectionStore;
  clients: ClientPool;
  catalog: ServerCatalog;
  vaults: VaultAccess;
  documents: GuildVaultDocuments;
  jobs: JobRunner;
  /** Where long jobs run: worker threads, so the extension host only relays their progress. */
  workers: JobWorkers;
  tree: ServersTreeProvider;
  demo: DemoServer;
  contextKeys: ContextKeys;
  treeView: vscode.TreeView<TreeNode>;
}
