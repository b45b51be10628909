export { searchMessages, type SearchHit, type SearchOptions, type SearchResult } from './searchMessages';
export { parseSearchQuery, HAS_KINDS, type ParsedQuery, type SearchFilter, type SearchTerm, type HasKind } from './queryParser';
export { createIndex, rebuildIndex, indexStatus, SearchIndexWriter, type IndexKind, type IndexStatus, type IndexedMessage } from './ftsIndex';
export { messageDocument, messageTags } from './messageDocument';
export type { Highlight } from './highlight';
