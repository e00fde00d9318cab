/**
 * bench:ingest — ingests every catalog and JustWatch file of the shared datasets into a fresh
 * database (PGlite in a temporary directory, or a fresh schema on DATABASE_URL) and prints
 * {"rows","seconds","rows_per_s","peak_rss_mb","backend", …} as the last line.
 * Usage: npm run bench:ingest -- --datasets ../shared/datasets [--json]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { ingest, openFileSource } from '../src/index.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, json: { type: 'boolean' } },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!datasets) {
  console.error('bench:ingest needs --datasets <dir> (the shared datasets folder) or MG_DATASETS');
  process.exit(2);
}
const files: string[] = [];
for (const sub of ['catalogs', 'justwatch']) {
  for (const f of (await readdir(join(datasets, sub))).filter((f) => f.endsWith('.csv')).sort())
    files.push(join(datasets, sub, f));
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const databaseUrl = process.env['DATABASE_URL'];
const dataDir = databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'mg-bench-ingest-'));
const schema = databaseUrl ? `mg_bench_${randomBytes(4).toString('hex')}` : undefined;
const db = await createDb(databaseUrl ? { databaseUrl, schema } : { dataDir });

const started = performance.now();
let rows = 0;
let changes = 0;
const perFile: Array<{ file: string; rows: number; seconds: number }> = [];
for (const file of files) {
  const summary = await ingest({ db, source: await openFileSource(file) });
  if (summary.status !== 'completed') throw new Error(`${file}: ${summary.error}`);
  rows += summary.counts.rows;
  changes += summary.changes;
  perFile.push({ file: file.slice(datasets.length + 1), rows: summary.counts.rows, seconds: summary.seconds });
  if (!values.json) console.log(`${file}: ${summary.counts.rows} rows in ${summary.seconds}s`);
}
const seconds = (performance.now() - started) / 1000;
const rerunStarted = performance.now();
let rerunChanges = 0;
for (const file of files) rerunChanges += (await ingest({ db, source: await openFileSource(file) })).changes;
const rerunSeconds = (performance.now() - rerunStarted) / 1000;
const titles = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles')).rows[0]?.n ?? 0;
clearInterval(sampler);

if (schema) await db.query(`DROP SCHEMA "${schema}" CASCADE`);
await db.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rows_per_s: Math.round(rows / seconds),
    peak_rss_mb: Math.round(peakRss / 1048576),
    backend: databaseUrl ? 'postgres' : 'pglite',
    titles,
    changes,
    rerun_seconds: Math.round(rerunSeconds * 100) / 100,
    rerun_changes: rerunChanges,
    files: perFile.length,
  }),
);
