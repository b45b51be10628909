export * from './vault';
export * from './vaultStore';
export * from './engine';
export { VaultLock, breakLock, describeOwner, inspectLock, readOwner, releaseLockOfThread, reportLocksTo, type LockOwner, type LockState } from './lock';
export { SCHEMA_VERSION } from './migrations';
export { isDiskFull, diskFullError } from './diskFull';
export { copyDatabaseConsistently, checkDatabaseFile } from './databaseCopy';
export { startWalCheckpointer, BACKSTOP_PAGES, type WalCheckpointer, type WalCheckpointerOptions } from './walCheckpointer';
