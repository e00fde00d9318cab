/**
 * bench:search: in-process latency over ≥ 500 mixed queries on the ingested real catalogs, MiniSearch
 * on the same queries, loopback HTTP throughput through the real gateway in a process of its own (load from a third
 * process: wrk when installed, else autocannon), and a synthetic scale-up.
 * Usage: npm run bench:search -- --datasets <dir> [--json] [--queries 600] [--scale 1000000|100000] [--http-seconds 10]
 *        [--search-workers n]
 * The scale-up defaults to the 1M-title case (about 5 min here); --scale 100000 for a quicker run.
 * Last stdout line: one JSON object.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { isOnPath } from '@media-gateway/testkit/env';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import MiniSearch from 'minisearch';
import { DEFAULT_SCRATCH, ensureScratchDb } from '../eval/build-scratch-db.ts';
import { tagQueries } from '../eval/movielens.ts';
import { createSearchService, entryDoc } from '../src/index.ts';
import { mixedQueries, percentile } from './bench-queries.ts';
import { scaleUp } from './scale-up.ts';

/**
 * The gateway's URL, from the line http-probe.ts --serve prints once its vector index is loaded. Its stdout stays
 * drained afterwards (a pipe nobody reads would block the gateway once full).
 */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const line = out
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('{"url"'));
      if (!line) return;
      child.off('exit', onExit);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the gateway (http-probe.ts --serve) exited with ${code} before it was ready`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** What http-load.mjs prints (p95 only from wrk). */
interface HttpLoad {
  rps: number;
  non2xx: number;
  errors: number;
  p50_ms: number;
  p95_ms?: number;
  p97_5_ms: number;
  client_cpu_s: number;
}

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    json: { type: 'boolean' },
    queries: { type: 'string', default: '600' },
    scale: { type: 'string', default: '1000000' },
    'http-seconds': { type: 'string', default: '10' },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    'search-workers': { type: 'string' },
  },
  strict: true,
});
if (!values.datasets) {
  console.error('bench:search needs --datasets <dir>');
  process.exit(2);
}
const log = (...a: unknown[]) => {
  (values.json ? console.error : console.log)(...a);
};
// Measured machine load, printed with the figures (latency and throughput depend on it).
const loadAt = () => loadavg().map((x) => Math.round(x * 100) / 100);
const loadStart = loadAt();
const dataDir = values['data-dir']!;
await ensureScratchDb(values.datasets, dataDir);

// 1. In-process latency.
const db = await createDb({ dataDir });
const svc = await createSearchService({ db, dataDir });
const entries = [...svc.catalog.entries.values()];
const tags = (await tagQueries(db, values.datasets)).map((t) => t.query);
const queries = mixedQueries(entries, tags, Number(values.queries));
for (const q of queries.slice(0, 30)) await svc.search({ query: q, limit: 10 }); // warm-up
const times: number[] = [];
for (const q of queries) {
  const t = performance.now();
  await svc.search({ query: q, limit: 10 });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const round = (x: number) => Math.round(x * 100) / 100;
const inProcess = [50, 95, 99].map((p) => `p${p} ${round(percentile(times, p))} ms`).join(', ');
log(`in-process: ${queries.length} queries, ${inProcess}`);
const suggestTimes: number[] = [];
for (const q of queries) {
  const pre = q.slice(0, 1 + (q.length % 8));
  const t = performance.now();
  svc.suggest(pre);
  suggestTimes.push(performance.now() - t);
}
suggestTimes.sort((a, b) => a - b);

// 2. MiniSearch BM25 over the same corpus and queries.
const mini = new MiniSearch<{ id: string; title: string; description: string; genres: string; people: string }>({
  fields: ['title', 'description', 'genres', 'people'],
  searchOptions: { boost: { title: 2 } },
});
mini.addAll(
  entries.map((e) => ({
    id: e.id,
    title: e.title,
    description: e.description,
    genres: e.genres.join(' '),
    people: [...e.directors, ...e.cast.slice(0, 5)].join(' '),
  })),
);
const miniTimes: number[] = [];
for (const q of queries) {
  const t = performance.now();
  mini.search(q).slice(0, 10);
  miniTimes.push(performance.now() - t);
}
miniTimes.sort((a, b) => a - b);
const model = svc.embedder!;
const realDocs = entries.map(entryDoc);
await db.close();

// 3. Loopback HTTP throughput through the real gateway (role `api`: the ingestion and recommendation workers are
// not on the search path and would compete for the same cores), in a process of its own as in production
// (http-probe.ts --serve). Served from this process, its heap also held the service and MiniSearch index above,
// and their garbage collection stretched the tail: p95 97 ms here against 25–30 ms for the gateway alone
// (2026-12-05, decision 0122). The load comes from a third process (http-load.mjs: wrk when it is on PATH, else
// autocannon); all share the 2 cores. Four passes over 8 connections: the query mix as it is (identical bodies
// repeat every `queries` requests, so the response cache may answer), then every body distinct (the query plus
// trailing spaces, which search trims) three times, the first two to warm up (once all the gateway's search
// workers are up: http-probe.ts waits for them). A last pass, every body distinct, uses 4
// connections: each connection waits for its answer, so once the gateway's thread is saturated, 8 connections only
// queue more requests at the same rate. With 4, the rate is about the same and the latency is nearer what a
// request meets at that rate. Searches are answered on the gateway's search worker threads (its default count, or
// `--search-workers n`); a last gateway without them gives the baseline (decision 0124).
// The gateway loads the mix this process made (the same seed), rather than loading the catalog again to make it.
const queriesFile = join(tmpdir(), `mg-bench-search-queries-${process.pid}.json`);
await writeFile(queriesFile, JSON.stringify(queries));
/** A gateway of its own (http-probe.ts --serve) on this bench's data and query mix, and its URL once it is ready. */
async function startGateway(extra: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./http-probe.ts', import.meta.url).pathname,
      '--serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--queries-from',
      queriesFile,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Should a pass fail, the gateway must not outlive the bench.
  const kill = () => child.kill('SIGTERM');
  process.on('exit', kill);
  const url = await readyUrl(child);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      process.off('exit', kill);
    },
  };
}
const client = isOnPath('wrk') ? 'wrk' : 'autocannon';
async function httpPass(url: string, extra: string[]): Promise<HttpLoad> {
  const loader = new URL('./http-load.mjs', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [loader, url, queriesFile, values['http-seconds']!, ...extra, '--client', client],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`http-load.mjs exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as HttpLoad;
}
/** How many search worker threads answered (decision 0124), read off the gateway's own metrics. */
async function workersUp(url: string): Promise<number | null> {
  const res = await fetch(`${url}/metrics`).catch(() => undefined);
  const line = res?.ok ? /^mg_search_workers_up (\d+)$/m.exec(await res.text()) : null;
  return line ? Number(line[1]) : null;
}
const gateway = await startGateway(values['search-workers'] ? ['--search-workers', values['search-workers']] : []);
const repeated = await httpPass(gateway.url, ['--repeat']);
// Two warm-up rounds: each worker thread compiles the search path on its own share of the traffic.
await httpPass(gateway.url, ['--round', '1']);
await httpPass(gateway.url, ['--round', '2']);
const distinct = await httpPass(gateway.url, ['--round', '3']);
const fewer = await httpPass(gateway.url, ['--round', '4', '--connections', '4']);
const workers = await workersUp(gateway.url);
await gateway.stop();
// The baseline in the same run: the same gateway answering every search on its own thread (MG_SEARCH_WORKERS=0),
// a warm-up round, then every body distinct at 8 connections.
const plain = await startGateway(['--search-workers', '0']);
await httpPass(plain.url, ['--round', '1']);
const onThread = await httpPass(plain.url, ['--round', '2']);
await plain.stop();
const httpRps = repeated.rps;
const failed = [repeated, distinct, fewer, onThread].reduce((n, pass) => n + pass.non2xx + pass.errors, 0);
await rm(queriesFile, { force: true });
const latency = (pass: HttpLoad) => `p50 ${pass.p50_ms} ms, p95 ${pass.p95_ms ?? '–'} ms, p97.5 ${pass.p97_5_ms} ms`;
log(
  `http (${client}, another process, 8 connections, ${values['http-seconds']} s each, ${workers} search workers): ` +
    `${httpRps} req/s; every body distinct ${distinct.rps} req/s, ${latency(distinct)} ` +
    `(${failed} failed; load generator CPU ${distinct.client_cpu_s} s)`,
);
log(`http, 4 connections, every body distinct: ${fewer.rps} req/s, ${latency(fewer)}`);
log(`http, no search workers (baseline), every body distinct: ${onThread.rps} req/s, ${latency(onThread)}`);

// 4. Synthetic scale-up.
const scale = await scaleUp(
  model,
  realDocs,
  Number(values.scale),
  queries.slice(0, 300),
  process.env['DATABASE_URL'],
  entries.map((e) => e.popularity ?? 0),
);
log(
  `scale-up ${scale.n}: p95 ${scale.p95_ms} ms (vector ${scale.vector_p95_ms}, ` +
    `lexical in memory ${scale.lexical_p95_ms}; PostgreSQL full text fallback ${scale.lexical_sql_p95_ms}), ` +
    `index ${scale.index_mb} MB, build ${scale.build_s} s`,
);

console.log(
  JSON.stringify({
    queries: queries.length,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
    http_rps: httpRps,
    http_rps_distinct: distinct.rps,
    http_distinct_p50_ms: distinct.p50_ms,
    http_distinct_p95_ms: distinct.p95_ms ?? null,
    http_distinct_p97_5_ms: distinct.p97_5_ms,
    http_c4_rps_distinct: fewer.rps,
    http_c4_p50_ms: fewer.p50_ms,
    http_c4_p95_ms: fewer.p95_ms ?? null,
    http_c4_p97_5_ms: fewer.p97_5_ms,
    http_client: client,
    http_search_workers: workers,
    http_no_workers_rps_distinct: onThread.rps,
    http_no_workers_p95_ms: onThread.p95_ms ?? null,
    minisearch_p95_ms: round(percentile(miniTimes, 95)),
    suggest_p95_ms: round(percentile(suggestTimes, 95)),
    scale_titles: scale.n,
    scale_1m_p95_ms: scale.n >= 1_000_000 ? scale.p95_ms : null,
    scale_1m_index_mb: scale.n >= 1_000_000 ? scale.index_mb : null,
    scale_p95_ms: scale.p95_ms,
    scale_vector_p95_ms: scale.vector_p95_ms,
    scale_lexical_p95_ms: scale.lexical_p95_ms,
    scale_lexical_sql_p95_ms: scale.lexical_sql_p95_ms,
    scale_lexical_index_s: scale.lexical_index_s,
    scale_index_mb: scale.index_mb,
    scale_build_s: scale.build_s,
    http_role: 'api',
    scale_total_s: scale.total_s,
    catalog_titles: entries.length,
    load: {
      cpus: cpus().length,
      available_parallelism: availableParallelism(),
      loadavg_start: loadStart,
      loadavg_end: loadAt(),
      loadavg_fields: '1, 5, 15 min (os.loadavg())',
    },
  }),
);
process.exit(0);
