/**
 * bench:api — latency of GET /api/titles/:id through Fastify inject() and over loopback HTTP.
 * Uses a fresh embedded database with the sample catalog, plus the Netflix catalog when
 * --datasets is given. Prints {"inject_p50_ms","inject_p95_ms","http_p50_ms","http_p95_ms", …}.
 * Usage: npm run bench:api -- [--datasets <dir>] [--requests 2000] [--json]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { ingest, loadSampleIfEmpty, openFileSource } from '@media-gateway/catalog';
import { noopLogger } from '@media-gateway/domain';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/compose.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, json: { type: 'boolean' }, requests: { type: 'string' } },
  strict: true,
});
const n = Number(values.requests ?? 2000);
const dataDir = await mkdtemp(join(tmpdir(), 'mg-bench-api-'));
const config = loadConfig(
  {
    ...process.env,
    DATABASE_URL: '',
    MG_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
  },
  { port: 0, host: '127.0.0.1' },
);
const ctx = await createContext(config, noopLogger);
await loadSampleIfEmpty(ctx.db);
if (values.datasets)
  await ingest({ db: ctx.db, source: await openFileSource(join(values.datasets, 'catalogs', 'netflix_titles.csv')) });
const ids = (await ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY id')).rows.map((r) => r.id);
const app = await buildApp(ctx);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 1000) / 1000;
};

for (let i = 0; i < 200; i++) await app.inject({ url: `/api/titles/${ids[i % ids.length]}` }); // warm-up
const injectTimes: number[] = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const res = await app.inject({ url: `/api/titles/${ids[(i * 7919) % ids.length]}` });
  injectTimes.push(performance.now() - t0);
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
}

await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;
const get = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    req.end();
  });
for (let i = 0; i < 100; i++) await get(`/api/titles/${ids[i % ids.length]}`);
const httpTimes: number[] = [];
for (let i = 0; i < n; i++) httpTimes.push(await get(`/api/titles/${ids[(i * 7919) % ids.length]}`));

await app.close();
await rm(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    inject_p50_ms: pct(injectTimes, 50),
    inject_p95_ms: pct(injectTimes, 95),
    http_p50_ms: pct(httpTimes, 50),
    http_p95_ms: pct(httpTimes, 95),
    requests: n,
    titles: ids.length,
    backend: 'pglite',
  }),
);
