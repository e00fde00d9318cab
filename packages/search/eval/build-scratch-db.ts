/**
 * Ingests the real catalogs (catalogs/*.csv and justwatch/*.csv under the datasets dir) once into a
 * PGlite data dir that the eval and bench reuse, so they don't pay ~75 s of ingestion per run.
 * CLI: tsx packages/search/eval/build-scratch-db.ts --datasets <dir> [--data-dir /tmp/mg-search-scratch]
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { createDb } from '@media-gateway/db';

export const DEFAULT_SCRATCH = '/tmp/mg-search-scratch';

/** Ingests once; later calls see the marker file and return at once. Progress goes to stderr. */
export async function ensureScratchDb(datasets: string, dataDir = DEFAULT_SCRATCH): Promise<void> {
  if (existsSync(join(dataDir, 'ingested.done'))) return;
  const db = await createDb({ dataDir });
  for (const sub of ['catalogs', 'justwatch']) {
    const dir = join(datasets, sub);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const summary = await ingest({ db, source: await openFileSource(join(dir, file)) });
      console.error(sub, file, summary.status, summary.counts.titlesCreated, `${summary.seconds.toFixed(1)}s`);
    }
  }
  await db.close();
  await writeFile(join(dataDir, 'ingested.done'), new Date().toISOString());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = scriptArgs(import.meta.url, {
    options: { datasets: { type: 'string' }, 'data-dir': { type: 'string', default: DEFAULT_SCRATCH } },
    strict: true,
  });
  if (!values.datasets) throw new Error('--datasets <dir> is required');
  await ensureScratchDb(values.datasets, values['data-dir']);
}
