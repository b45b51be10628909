export { syncArchive, type SyncOptions, type SyncReport, type ChannelProblem } from './syncArchive';
export { archiveRunHistory, wasBackup, type ArchiveRunHistory, type ArchiveRunInfo } from './archiveRuns';
export { listArchivedChannels, getArchivedChannel, type ArchivedChannel, type ChannelStatus } from './archivedChannels';
export { renderTranscript, listTranscriptMonths, countTranscriptMonths, type TranscriptOptions } from './transcript';
export { discoverChannels, type DiscoveredChannel, type Discovery } from './discovery';
export { MessageIngest, type PageCounts } from './ingest';
