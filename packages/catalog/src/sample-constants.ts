/** When the sample's availability facts were checked; shown wherever sample data is shown. */
export const SAMPLE_AS_OF = '2025-06-01';
/** The source name sample records are stored under. */
export const SAMPLE_SOURCE = 'sample';
