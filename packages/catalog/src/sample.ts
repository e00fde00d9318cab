import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import { ingest, type IngestSummary } from './pipeline/ingest.ts';
import { SAMPLE_AS_OF, SAMPLE_SOURCE } from './sample-constants.ts';
import { jsonlCanonicalSource } from './sources/files/jsonl-canonical.ts';

/** The bundled sample: real, well-known titles, facts only, descriptions in our own words. */
export const SAMPLE_CATALOG_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'sample',
  'sample-catalog.jsonl',
);

/** The bundled sample as an ingest source, seen at SAMPLE_AS_OF (its facts' date, never today). */
export function sampleSource() {
  return jsonlCanonicalSource(SAMPLE_CATALOG_PATH, { source: SAMPLE_SOURCE, seenAt: new Date(SAMPLE_AS_OF) });
}

/** Loads the sample catalog when the catalog is empty; returns undefined when it was not needed. */
export async function loadSampleIfEmpty(db: Db, logger?: Logger): Promise<IngestSummary | undefined> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles');
  if ((rows[0]?.n ?? 0) > 0) return undefined;
  return ingest({
    db,
    source: sampleSource(),
    mode: 'sample',
    ...(logger ? { logger } : {}),
  });
}

export { SAMPLE_AS_OF, SAMPLE_SOURCE };
