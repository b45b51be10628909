import type { ConnectionStore } from '../connections/connectionStore';
import type { JobRunner } from '../jobs/jobRunner';
import type { Log } from '../log/log';
import type { ServerCatalog } from '../servers/serverCatalog';
import type { VaultAccess } from '../vaults/vaultAccess';
import type { ServerNode } from './nodes/serverNode';

/** What tree nodes read from; handed down from the provider. */
export interface TreeContext {
  connections: ConnectionStore;
  catalog: ServerCatalog;
  vaults: VaultAccess;
  jobs: JobRunner;
  log: Log;
  /** Server rows register themselves so a job's progress refreshes just its row. */
  track(node: ServerNode): void;
}
