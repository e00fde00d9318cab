/**
 * What the search vectors cost a starting server (decision 0057): the service is created as the gateway
 * creates it (`background: true`), then this measures how soon the first (words-only) answer comes, how
 * long until the vector index is ready, the longest event-loop stall meanwhile (training and reading the
 * word vectors run on a worker thread), the process memory once ready, then the in-process search latency
 * over bench:search's query mix.
 *
 * Usage: npx tsx --expose-gc packages/search/bench/vectors-load.ts --datasets <dir> [--vectors lsa|words|both]
 *   [--data-dir /tmp/mg-search-scratch] [--search-dir <dir>]
 * The catalog database comes from --data-dir (built once, as eval:search does); the models and the index go
 * to --search-dir/search: an empty one measures a first start (training), the same one again a restart.
 * Run each configuration in its own process. Last stdout line: one JSON object.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { DEFAULT_SCRATCH, ensureScratchDb } from '../eval/build-scratch-db.ts';
import { tagQueries } from '../eval/movielens.ts';
import { createSearchService, DEFAULT_VECTORS, VECTORS_KINDS, type VectorsKind } from '../src/index.ts';
import { mixedQueries, percentile } from './bench-queries.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    vectors: { type: 'string', default: DEFAULT_VECTORS },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    'search-dir': { type: 'string' },
  },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
const kind = values.vectors as VectorsKind;
if (!datasets || !VECTORS_KINDS.includes(kind)) {
  console.error(`usage: --datasets <dir> [--vectors ${VECTORS_KINDS.join('|')}]`);
  process.exit(2);
}
const searchDir = values['search-dir'] ?? mkdtempSync(join(tmpdir(), 'mg-vectors-load-'));
const firstStart = !existsSync(join(searchDir, 'search', 'vectors.meta.json'));
await ensureScratchDb(datasets, values['data-dir']);
const db = await createDb({ dataDir: values['data-dir']! });

const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed), array_buffers_mb: mb(m.arrayBuffers) };
};
const before = memory();
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
const started = performance.now();
const svc = await createSearchService({ db, dataDir: searchDir, vectors: kind, background: true });
const serviceMs = performance.now() - started;
const first = await svc.search({ query: 'space adventure' });
const firstAnswerMs = performance.now() - started;
// Answers while the index loads: each must stay quick (the worker holds the heavy part).
const during: number[] = [];
let ready = false;
const readyAt = svc.ready().then(() => {
  ready = true;
  return performance.now() - started;
});
while (!ready) {
  const t = performance.now();
  await svc.search({ query: 'haunted house' });
  during.push(performance.now() - t);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const readyMs = await readyAt;
stalls.disable();
const after = memory();
// Then the in-process latency once ready: bench:search's query mix (300 queries after a 30-query warm-up).
const tags = (await tagQueries(db, datasets)).map((t) => t.query);
const queries = mixedQueries([...svc.catalog.entries.values()], tags, 300);
for (const q of queries.slice(0, 30)) await svc.search({ query: q, limit: 10 });
const times: number[] = [];
for (const q of queries) {
  const t = performance.now();
  await svc.search({ query: q, limit: 10 });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const sorted = [...during].sort((a, b) => a - b);
const r = (x: number) => Math.round(x);
console.log(
  JSON.stringify({
    vectors: kind,
    embedder: svc.embedder?.name,
    dimensions: svc.embedder?.dimensions,
    titles: svc.catalog.size,
    titles_with_a_vector: svc.vectors?.size,
    start: firstStart ? 'first (trains the models)' : 'restart (loads the saved models and index)',
    search_dir: searchDir,
    service_created_ms: r(serviceMs),
    first_answer_ms: r(firstAnswerMs),
    first_answer_words_only: first.understood.notes.some((n) => n.includes('still loading')),
    index_ready_ms: r(readyMs),
    searches_while_loading: during.length,
    search_while_loading_p50_ms: r(sorted[Math.floor(sorted.length / 2)] ?? 0),
    search_while_loading_max_ms: r(sorted[sorted.length - 1] ?? 0),
    event_loop_max_stall_ms: r(stalls.max / 1e6),
    memory_before: before,
    memory_ready: after,
    memory_added_mb: mb((after.rss_mb - before.rss_mb) * 2 ** 20),
    ready_search_p50_ms: Math.round(percentile(times, 50) * 100) / 100,
    ready_search_p95_ms: Math.round(percentile(times, 95) * 100) / 100,
    load: loadavg().map((x) => Math.round(x * 100) / 100),
  }),
);
await db.close();
process.exit(0);
