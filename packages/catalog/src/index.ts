export type { Source, SourceItem, RowProblem } from './sources/source.ts';
export { catalogCsvSource } from './sources/files/catalog-csv.ts';
export { justwatchCsvSource } from './sources/files/justwatch-csv.ts';
export { jsonlCanonicalSource } from './sources/files/jsonl-canonical.ts';
export { detectFormat, FILE_FORMATS, type FileFormat } from './sources/files/detect-format.ts';
export { openFileSource, type FileSourceOptions } from './sources/files/open-file-source.ts';
export { platformFromFileName } from './sources/files/platform-from-file.ts';
export { ingest, type IngestOptions, type IngestSummary, type IngestCounts } from './pipeline/ingest.ts';
export { listRunProblems, markStaleRunsInterrupted } from './pipeline/ingest-runs.ts';
export {
  resolveRecord,
  scoreCandidate,
  evidenceOf,
  externalKeys,
  MERGE_THRESHOLD,
  type Resolution,
  type Override,
} from './resolve/resolver.ts';
export { TitleIndex, type IndexedTitle } from './resolve/title-index.ts';
export { GENRE_FAMILY } from './resolve/genre-families.ts';
export { mergeRecords, sourcePriority } from './resolve/merge-records.ts';
export { titleIdFor, recordHash } from './store/ids.ts';
export { getTitle, loadOffers, STALE_AFTER_DAYS, type TitleDetails, type OfferView } from './queries/get-title.ts';
export {
  offerAge,
  parseAsOf,
  DEFAULT_STALENESS,
  type StalenessPolicy,
  staleAfterDays,
} from './queries/offer-age.ts';
export { loadTitleNames, type TitleName } from './queries/title-names.ts';
export { listTitles, type ListTitlesFilter, type TitlePage } from './queries/list-titles.ts';
export {
  loadPickedImages,
  loadTitleImages,
  loadProviderLogos,
  toTitleImage,
  type StoredImage,
  type ProviderLogos,
} from './queries/title-images.ts';
export { type TitleSummary, type TitleRow, TITLE_COLUMNS, toSummary } from './queries/title-row.ts';
export { listMerges, overrideResolution, type MergeView } from './admin/resolution-admin.ts';
export { exportJsonl } from './admin/export-jsonl.ts';
export { loadSampleIfEmpty, SAMPLE_CATALOG_PATH, SAMPLE_AS_OF, SAMPLE_SOURCE, sampleSource } from './sample.ts';
export { SAMPLE_DATA } from './sample-constants.ts';
export { getUserSettings, updateUserSettings, DEFAULT_REGION, type UserSettings } from './users/user-settings.ts';
// Live sources (issue 9): connectors, resilient HTTP, scheduler.
export {
  LIVE_SOURCES,
  type LiveSourceName,
  isLiveSource,
  liveSourceConfig,
  liveSourceStatuses,
  DEFAULT_SCHEDULE,
  type LiveSourceStatus,
  type LiveSource,
  type LiveRunOptions,
  type SourceConfig,
} from './sources/live-sources.ts';
export {
  SourceHttp,
  type SourceHttpOptions,
  type HttpStats,
  instrumentOutgoingCalls,
  type OutgoingCallHook,
} from './http/source-http.ts';
export { UpstreamError, QuotaExceededError, CircuitOpenError, MalformedResponseError } from './http/upstream-errors.ts';
export { runLiveSource, type LiveRunRequest, type LiveRunResult } from './scheduler/run-live-source.ts';
export { createLiveSource, type LiveSourceDeps } from './scheduler/create-live-source.ts';
export {
  dueRuns,
  type DueRun,
  loadScheduleState,
  listIngestionRuns,
  type IngestionRunView,
} from './scheduler/schedule.ts';
// Imports from other trackers (issue 19): Letterboxd, IMDb, Trakt and Netflix exports.
export {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportFamily,
  type ImportRow,
  type ImportSignal,
  familyOf,
  starsToRating,
} from './imports/import-row.ts';
export { parseImportFile, IMPORT_MAX_ROWS, EXPECTED_SHAPES, type ParsedImport } from './imports/parse-import-file.ts';
export { matchImportRows, type RowMatch, type MatchHow, type UnmatchedReason } from './imports/match-import-rows.ts';
