export * from './vault';
export * from './vaultStore';
export { VaultLock, readOwner, releaseLockOfThread, reportLocksTo, type LockOwner } from './lock';
export { SCHEMA_VERSION } from './migrations';
export { copyDatabaseConsistently, checkDatabaseFile } from './databaseCopy';
