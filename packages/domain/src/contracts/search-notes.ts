// Notes of the search answer that clients act on. No imports, so the web app can use them without bundling zod.

/**
 * The note of a search of a catalog with no titles (a new data dir without the sample catalog, say): there is
 * nothing to search yet, so clients do not also say that the constraints excluded everything.
 */
export const EMPTY_CATALOG_NOTE =
  'The catalog is empty: no title has been ingested here yet ' +
  '(media-gateway ingest <files>, or POST /api/admin/ingestion/upload).';

/**
 * Begins a note saying the data to answer is missing (no source reported end dates, or any offer, for the region),
 * not that the constraints excluded every title: clients then do not suggest removing one.
 */
export const NO_SOURCE_REPORTED = 'No source has reported';

/** Whether the answer is empty for want of data (an empty catalog, or a region no source reported on). */
export function emptyForWantOfData(notes: readonly string[]): boolean {
  return notes.some((n) => n === EMPTY_CATALOG_NOTE || n.includes(NO_SOURCE_REPORTED));
}
