export { storeSnapshot, type StoreSnapshotOptions } from './store';
export { loadState } from './rebuild';
export { listSnapshots, getSnapshot, previousSnapshotId, latestSnapshotId, setPinned, setLabel, lastKnownNode } from './catalog';
export { deleteSnapshot, pruneSnapshots } from './merge';
export { verifyChain, type ChainReport } from './verify';
