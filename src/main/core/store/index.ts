// The store's public surface; everything else in this folder is an implementation detail.
export { TranscriptStore, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_PAGE_SIZE, MAX_FLUSH_INTERVAL_MS, MAX_PAGE_SIZE } from './transcript-store'
export type { DraftResult, FinalDraftStatus, ListQuery, StoreStats, TranscriptStoreOptions } from './transcript-store'
export { StoreInputError, StoreOpenError } from './errors'
export type { StoreOpenErrorKind } from './errors'
export { HIT_END, HIT_START } from '../../../shared/search-markers'
export { toFtsQuery } from './fts-query'
