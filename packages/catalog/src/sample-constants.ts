/** When the sample's availability facts were checked; shown wherever sample data is shown. */
export const SAMPLE_AS_OF = '2025-06-01';
/** The source name sample records are stored under. */
export const SAMPLE_SOURCE = 'sample';
/** What every response that contains sample data says about it. */
export const SAMPLE_DATA = {
  asOf: SAMPLE_AS_OF,
  note: `Sample data bundled with Media Gateway; availability as of ${SAMPLE_AS_OF}. Load real catalogs with "media-gateway ingest".`,
} as const;
