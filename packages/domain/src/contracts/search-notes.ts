// Notes of the search answer that clients act on. No imports, so the web app can use them without bundling zod.

/**
 * The note of a search of a catalog with no titles (a new data dir without the sample catalog, say): there is
 * nothing to search yet, so clients do not also say that the constraints excluded everything.
 */
export const EMPTY_CATALOG_NOTE =
  'The catalog is empty: no title has been ingested here yet ' +
  '(media-gateway ingest <files>, or POST /api/admin/ingestion/upload).';
