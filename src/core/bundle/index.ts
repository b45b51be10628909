export { createBundle, type BundleSummary, type CreateBundleOptions } from './createBundle';
export { restoreBundle, type RestoredVault, type RestoreBundleOptions } from './restoreBundle';
export { verifyBundle, type BundleCheck } from './verifyBundle';
export { sealBytes, unsealBytes, isSealedFile } from './sealedFile';
export { BundleError } from './bundleError';
export { isEncrypted } from './container';
export { DEFAULT_SCRYPT } from './sealing';
