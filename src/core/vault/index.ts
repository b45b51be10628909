export * from './vault';
export * from './vaultStore';
export { VaultLock, breakLock, describeOwner, inspectLock, readOwner, releaseLockOfThread, reportLocksTo, type LockOwner, type LockState } from './lock';
export { SCHEMA_VERSION } from './migrations';
export { copyDatabaseConsistently, checkDatabaseFile } from './databaseCopy';
