/**
 * bench:import-stall — how long one person's large import holds up everyone else's requests. A gateway over loopback
 * HTTP on a fresh embedded database (or, with --postgres, a database it creates on DATABASE_URL's server and drops),
 * the real catalogs ingested, then a Letterboxd ratings.csv of --rows rows (real titles and years) imported while
 * GET /healthz is timed back to back. Prints one JSON object: the import's seconds and the probe's latency during it.
 * Usage: npm run bench:import-stall -- --datasets <dir> [--rows 45000] [--postgres]
 */
import { mkdtemp } from 'node:fs/promises';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { noopLogger } from '@media-gateway/domain';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { buildApp } from '../src/app.ts';
import { createContext } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, rows: { type: 'string' }, postgres: { type: 'boolean' } },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!datasets) {
  console.error('bench:import-stall needs the datasets: set MG_DATASETS or pass --datasets <dir>');
  process.exit(2);
}
const rowCount = Number(values.rows ?? 45_000);
// --postgres: a database of its own on DATABASE_URL's server, dropped at the end (it never migrates into yours).
let scratchUrl = '';
let dropScratch = async () => {};
if (values.postgres) {
  const server = process.env['DATABASE_URL'];
  if (!server) {
    console.error('bench:import-stall --postgres needs DATABASE_URL (a server where it may create a database)');
    process.exit(2);
  }
  const name = `mg_bench_import_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  scratchUrl = url.toString();
  dropScratch = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
const config = loadConfig(
  {
    ...process.env,
    DATABASE_URL: scratchUrl,
    MG_DATA_DIR: await mkdtemp(join(tmpdir(), 'mg-bench-import-')),
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
    MG_SEARCH_WORKERS: '0',
  },
  { port: 0, host: '127.0.0.1' },
);
const ctx = await createContext(config, noopLogger);
for (const file of ['netflix_titles.csv', 'amazon_prime_titles.csv', 'disney_plus_titles.csv', 'hulu_titles.csv'])
  await ingest({ db: ctx.db, source: await openFileSource(join(datasets, 'catalogs', file)) });
const app = await buildApp(ctx);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const { rows: titles } = await ctx.db.query<{ title: string; year: number }>(
  "SELECT title, year FROM titles WHERE kind = 'movie' AND year IS NOT NULL ORDER BY id",
);
const lines = ['Date,Name,Year,Letterboxd URI,Rating'];
for (let i = 0; i < rowCount; i++) {
  const t = titles[i % titles.length]!;
  lines.push(`2022-01-02,"${t.title.replace(/"/g, '""')}",${t.year},https://boxd.it/b${i},${1 + (i % 5)}`);
}
const token = (
  await ctx.tokens.issueAccessToken({
    userId: 'bench-importer',
    clientId: 'mg-web',
    scopes: ['recommendations', 'watchlist:read', 'watchlist:write'],
  })
).token;

const probes: number[] = [];
let importing = true;
const probe = (async () => {
  while (importing) {
    const started = performance.now();
    await (await fetch(`${address}/healthz`)).arrayBuffer();
    // Back to back, no timer: the server shares this process, so a stalled event loop shows in the request in
    // flight (a timer between probes would wait out the stall unmeasured).
    probes.push(performance.now() - started);
  }
})();
const started = performance.now();
const res = await fetch(`${address}/api/me/import?filename=ratings.csv`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  body: lines.join('\n'),
});
const importSeconds = (performance.now() - started) / 1000;
const summary = (await res.json()) as { counts?: { matched: number } };
importing = false;
await probe;
await app.close();
await dropScratch();
const sorted = [...probes].sort((a, b) => a - b);
const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10;
console.log(
  JSON.stringify({
    backend: values.postgres ? 'postgres' : 'pglite',
    rows: rowCount,
    status: res.status,
    matched: summary.counts?.matched,
    import_seconds: Math.round(importSeconds * 100) / 100,
    healthz_during_import_ms: { probes: probes.length, p50: at(0.5), p99: at(0.99), max: at(1) },
  }),
);
process.exit(0);
