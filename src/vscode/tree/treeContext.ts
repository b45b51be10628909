import type { ConnectionStore } from '../connections/connectionStore';
import type { JobRunner } from '../jobs/jobRunner';
import type { Log } from '../log/log';
import type { ServerCatalog } from '../servers/serverCatalog';
import type { VaultAccess } from '../vaults/vaultAccess';
import type { ServerRef } from '../servers/server';
import type { ServerNode } from './nodes/serverNode';
import type { TreeNode } from './nodes/treeNode';

/** What tree nodes read from; handed down from the provider. */
export interface TreeContext {
  connections: ConnectionStore;
  catalog: ServerCatalog;
  vaults: VaultAccess;
  jobs: JobRunner;
  log: Log;
  /**
   * The row of a server: the same object each time its parent is read (until a full refresh), so
   * a job's progress refreshes exactly the row the view shows.
   */
  serverNode(parent: TreeNode | undefined, server: ServerRef): ServerNode;
}
