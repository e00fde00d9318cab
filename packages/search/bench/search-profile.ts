/**
 * In-process profiling aid for the search path: runs bench:search's query mix (same seed) through
 * `createSearchService(...).search()` for `--rounds` rounds and prints p50/p95 per round. `--profile <file>`
 * writes a .cpuprofile of the timed rounds (summarise it with `node packages/search/bench/profile-summary.mjs`);
 * `--dump <file>` writes every response (fixed clock, so runs compare byte for byte): diff two dumps to show a
 * performance change left the results alone.
 * Usage: tsx packages/search/bench/search-profile.ts --datasets <dir> [--data-dir <dir>] [--queries 300]
 *        [--rounds 3] [--profile /tmp/inproc.cpuprofile] [--dump /tmp/search-dump.json]
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { manualClock } from '@media-gateway/domain';
import { DEFAULT_SCRATCH, ensureScratchDb } from '../eval/build-scratch-db.ts';
import { tagQueries } from '../eval/movielens.ts';
import { createSearchService, type SearchRequest } from '../src/index.ts';
import { mixedQueries, percentile } from './bench-queries.ts';
import { startCpuProfile } from './cpu-profiler.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string', default: process.env['MG_DATASETS'] },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    queries: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
    dump: { type: 'string' },
  },
  strict: true,
});
if (!values.datasets) throw new Error('--datasets <dir> (or MG_DATASETS) is required');
const dataDir = values['data-dir']!;
await ensureScratchDb(values.datasets, dataDir);
const db = await createDb({ dataDir });
// A fixed "now": offer ages and expiry then depend only on the data, so two dumps can be diffed.
const svc = await createSearchService({ db, dataDir, clock: manualClock('2025-06-01T00:00:00Z') });
const tags = (await tagQueries(db, values.datasets)).map((t) => t.query);
const queries = mixedQueries([...svc.catalog.entries.values()], tags, Number(values.queries));
// Beside the plain mix: the request fields that change the path (services, type, a second page).
const requests: SearchRequest[] = [
  ...queries.map((query) => ({ query, limit: 10 })),
  ...queries.slice(0, 40).map((query) => ({ query, limit: 10, services: ['netflix'], type: 'movie' as const })),
];

const round = (x: number) => Math.round(x * 100) / 100;
// Warm-up: one whole round (JIT, the lexeme cache, the per-constraint candidate lists built on first use).
for (const r of requests) await svc.search(r);

const stopProfile = await startCpuProfile(values.profile, 200);
for (let k = 0; k < Number(values.rounds); k++) {
  const times: number[] = [];
  // CPU time as well as wall time: on a shared machine waiting for a core inflates the latter only.
  const cpu = process.cpuUsage();
  for (const r of requests) {
    const t = performance.now();
    await svc.search(r);
    times.push(performance.now() - t);
  }
  const { user, system } = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      round: k + 1,
      requests: requests.length,
      p50_ms: round(percentile(times, 50)),
      p95_ms: round(percentile(times, 95)),
      p99_ms: round(percentile(times, 99)),
      mean_ms: round(times.reduce((a, b) => a + b, 0) / times.length),
      cpu_ms_per_search: round((user + system) / 1000 / requests.length),
      loadavg: loadavg().map(round),
    }),
  );
}
await stopProfile();
if (values.dump) {
  const out: unknown[] = [];
  for (const r of requests) {
    const res = await svc.search(r);
    out.push({ request: r, response: res });
    // The second page too: cursors and offsets go through the same code.
    if (res.nextCursor) out.push({ page: 2, response: await svc.search({ ...r, cursor: res.nextCursor }) });
  }
  await writeFile(values.dump, JSON.stringify(out, null, 1));
}
await db.close();
process.exit(0);
