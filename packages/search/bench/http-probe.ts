/**
 * Loopback HTTP probe for /api/search (a profiling aid for bench:search's http_rps).
 * Default: per-request latency and body size sequentially, then req/s with 8 concurrent clients.
 * `--serve`: writes bench:search's query mix (`--queries`, the same seed) to `--out` (unless `--queries-from`
 * names a file that already holds it: bench:search writes its own, so the catalog is not loaded twice), starts
 * the gateway and stays up until SIGINT/SIGTERM, so another process can load it
 * (`node packages/search/bench/http-load.mjs <url> <queries.json> [seconds]`, autocannon, 8 connections);
 * `--profile <file>` then writes a .cpuprofile of the time between "ready" and the signal (startup left out).
 * Usage: tsx packages/search/bench/http-probe.ts --datasets <dir> [--data-dir <dir>] [--role all|api] [--seconds 5]
 *        [--serve [--queries 300] [--out /tmp/mg-search-queries.json | --queries-from <file>] [--port 0]
 *        [--profile /tmp/x.cpuprofile]] [--search-workers n]
 */
import { writeFile } from 'node:fs/promises';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { loadConfig, startServer } from '@media-gateway/gateway';
import { DEFAULT_SCRATCH, ensureScratchDb } from '../eval/build-scratch-db.ts';
import { tagQueries } from '../eval/movielens.ts';
import { TitleCatalog } from '../src/index.ts';
import { mixedQueries } from './bench-queries.ts';
import { startCpuProfile } from './cpu-profiler.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    role: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '5' },
    serve: { type: 'boolean' },
    queries: { type: 'string', default: '300' },
    out: { type: 'string', default: '/tmp/mg-search-queries.json' },
    'queries-from': { type: 'string' },
    port: { type: 'string', default: '0' },
    profile: { type: 'string' },
    'search-workers': { type: 'string' },
  },
  strict: true,
});
const dataDir = values['data-dir']!;
const queriesFile = values['queries-from'] ?? values.out!;
if (values.serve && !values['queries-from']) {
  if (!values.datasets) throw new Error('--serve needs --datasets <dir> (for the query mix) or --queries-from <file>');
  await ensureScratchDb(values.datasets, dataDir);
  const db = await createDb({ dataDir });
  const catalog = await TitleCatalog.load(db);
  const tags = (await tagQueries(db, values.datasets)).map((t) => t.query);
  await writeFile(
    values.out!,
    JSON.stringify(mixedQueries([...catalog.entries.values()], tags, Number(values.queries))),
  );
  await db.close();
}
const server = await startServer(
  loadConfig({
    MG_DATA_DIR: dataDir,
    PORT: values.port!,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
    MG_SAMPLE_CATALOG: 'off',
    MG_ROLE: values.serve ? 'api' : values.role!,
    ...(values['search-workers'] ? { MG_SEARCH_WORKERS: values['search-workers'] } : {}),
  }),
);
const queries = [
  'scary movies on netflix',
  'korean dramas',
  'time travel',
  'feel-good 90s comedies on hulu',
  'heist',
  'directed by christopher nolan',
  'robots',
  'something for kids on disney+',
];
const post = async (query: string) => {
  const res = await fetch(`${server.url}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, limit: 10 }),
  });
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
};
// Wait until the background index load is over (the note disappears), at most 120 s.
for (let i = 0; i < 240; i++) {
  const res = await fetch(`${server.url}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'warm up' }),
  });
  const body = (await res.json()) as { understood: { notes: string[] } };
  if (!body.understood.notes.some((n) => n.includes('still loading'))) break;
  await new Promise((r) => setTimeout(r, 500));
}
/**
 * Waits (up to 5 minutes) until every search worker thread the gateway runs is up, so a load measures the gateway
 * as configured rather than one whose workers are still loading; returns how many are up.
 */
async function searchWorkersReady(): Promise<number> {
  const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  let up = 0;
  for (const until = Date.now() + 300_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    up = gauge(text, 'mg_search_workers_up');
    if (up === gauge(text, 'mg_search_workers')) return up;
  }
  return Number.isNaN(up) ? 0 : up;
}

if (values.serve) {
  const workers = await searchWorkersReady();
  const stopProfile = await startCpuProfile(values.profile, 500);
  console.log(JSON.stringify({ url: server.url, queries: queriesFile, search_workers: workers }));
  const stop = async () => {
    await stopProfile();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  for (const q of queries) {
    const t = performance.now();
    const r = await post(q);
    console.log(`${q}: ${r.status} ${r.bytes} B ${(performance.now() - t).toFixed(1)} ms`);
  }
  let done = 0;
  const until = Date.now() + Number(values.seconds) * 1000;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; Date.now() < until; i += 8) {
        await post(queries[i % queries.length]!);
        done++;
      }
    }),
  );
  console.log(`role ${values.role}: ${Math.round(done / Number(values.seconds))} req/s`);
  await server.close();
  process.exit(0);
}
