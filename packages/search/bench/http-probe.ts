/**
 * Loopback HTTP probe for /api/search (a profiling aid for bench:search's http_rps): per-request
 * latency and body size sequentially, then req/s with 8 concurrent clients.
 * Usage: tsx packages/search/bench/http-probe.ts --datasets <dir> [--role all|api] [--seconds 5]
 */
import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@media-gateway/gateway';
import { DEFAULT_SCRATCH } from '../eval/build-scratch-db.ts';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string' },
    role: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '5' },
  },
  strict: true,
});
const server = await startServer(
  loadConfig({
    MG_DATA_DIR: DEFAULT_SCRATCH,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
    MG_SAMPLE_CATALOG: 'off',
    MG_ROLE: values.role!,
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
