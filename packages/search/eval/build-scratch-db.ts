/**
 * Ingests the real catalogs (catalogs/*.csv and justwatch/*.csv under --datasets) once into a
 * PGlite data dir that the eval and bench reuse, so they don't pay ~75 s of ingestion per run.
 * Usage: tsx packages/search/eval/build-scratch-db.ts --datasets <dir> [--data-dir /tmp/mg-search-scratch]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { createDb } from '@media-gateway/db';

const { values } = parseArgs({ options: { datasets: { type: 'string' }, 'data-dir': { type: 'string', default: '/tmp/mg-search-scratch' } }, strict: true });
if (!values.datasets) throw new Error('--datasets <dir> is required');
const dataDir = values['data-dir']!;
if (existsSync(join(dataDir, 'ingested.done'))) {
  console.log(`already built: ${dataDir}`);
  process.exit(0);
}
const db = await createDb({ dataDir });
for (const sub of ['catalogs', 'justwatch']) {
  const dir = join(values.datasets, sub);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const summary = await ingest({ db, source: await openFileSource(join(dir, file)) });
    console.log(sub, file, summary.status, summary.counts.titlesCreated, `${summary.seconds.toFixed(1)}s`);
  }
}
const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles');
console.log('titles', n.rows[0]?.n);
await db.close();
const { writeFile } = await import('node:fs/promises');
await writeFile(join(dataDir, 'ingested.done'), new Date().toISOString());
