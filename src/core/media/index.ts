export * from './mediaPool';
export * from './mediaDownloader';
export { verifyMediaPool, type MediaVerifyReport } from './verify';
export { collectGarbage, type GarbageReport } from './garbage';
export { signatureExpired, stripSignature } from './sourceUrl';
export { casPathFor, isSha256 } from './casPath';
export { repairPool, type PoolRepair } from './repair';
