import type { ConnectionStore } from '../connections/connectionStore';
import type { Log } from '../log/log';
import type { ServerCatalog } from '../servers/serverCatalog';
import type { VaultAccess } from '../vaults/vaultAccess';

/** What tree nodes read from; handed down from the provider. */
export interface TreeContext {
  connections: ConnectionStore;
  catalog: ServerCatalog;
  vaults: VaultAccess;
  log: Log;
}
