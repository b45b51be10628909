export * from './vault';
export * from './vaultStore';
export * from './engine';
export { VaultLock, readOwner, type LockOwner } from './lock';
export { SCHEMA_VERSION } from './migrations';
