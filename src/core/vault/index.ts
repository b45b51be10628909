export * from './vault';
export * from './vaultStore';
export * from './engine';
export { VaultLock, readOwner, releaseLockOfThread, reportLocksTo, type LockOwner } from './lock';
export { SCHEMA_VERSION } from './migrations';
export { copyDatabaseConsistently, checkDatabaseFile } from './databaseCopy';
