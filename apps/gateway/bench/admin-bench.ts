/**
 * bench:admin — the admin dashboard's backends on a fresh embedded database over loopback HTTP:
 * uploading the real catalogs (POST /api/admin/ingestion/upload → run completed), then the
 * latency of a /metrics scrape and of GET /api/admin/metrics with that catalog loaded.
 * Needs MG_DATASETS (or --datasets). Prints one JSON object as the last line.
 * Usage: npm run bench:admin -- --datasets <dir> [--requests 300] [--json]
 */
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { noopLogger } from '@media-gateway/domain';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/compose.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, json: { type: 'boolean' }, requests: { type: 'string' } },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!datasets) {
  console.error('bench:admin needs the datasets: set MG_DATASETS or pass --datasets <dir>');
  process.exit(2);
}
const n = Number(values.requests ?? 300);
const FILES = ['netflix_titles.csv', 'amazon_prime_titles.csv', 'disney_plus_titles.csv', 'hulu_titles.csv'];

const dataDir = await mkdtemp(join(tmpdir(), 'mg-bench-admin-'));
const config = loadConfig(
  {
    ...process.env,
    DATABASE_URL: '',
    MG_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MG_SEARCH_INDEX: 'memory',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
  },
  { port: 0, host: '127.0.0.1' },
);
const ctx = await createContext(config, noopLogger);
const app = await buildApp(ctx);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const token = (await ctx.tokens.issueAccessToken({ userId: 'bench-admin', clientId: 'bench', scopes: ['admin'] }))
  .token;
const auth = { authorization: `Bearer ${token}` };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
};

async function waitFor(runId: string): Promise<{ status: string; counts: Record<string, number> }> {
  for (;;) {
    const res = await fetch(`${address}/api/admin/ingestion/upload/${runId}`, { headers: auth });
    const p = (await res.json()) as { status: string; rows: number };
    if (p.status !== 'running') {
      const runs = (await (await fetch(`${address}/api/admin/ingestion/runs?limit=20`, { headers: auth })).json()) as {
        runs: Array<{ id: string; status: string; counts: Record<string, number> }>;
      };
      const run = runs.runs.find((r) => r.id === runId);
      if (!run) throw new Error(`run ${runId} not listed`);
      return run;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const uploads: Array<{ file: string; bytes: number; rows: number; accepted_ms: number; completed_s: number }> = [];
const started = performance.now();
for (const file of FILES) {
  const body = await readFile(join(datasets, 'catalogs', file));
  const t0 = performance.now();
  const res = await fetch(`${address}/api/admin/ingestion/upload?filename=${file}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: new Uint8Array(body),
  });
  const accepted = performance.now() - t0;
  if (res.status !== 202) throw new Error(`${file}: ${res.status} ${await res.text()}`);
  const { runId } = (await res.json()) as { runId: string };
  const run = await waitFor(runId);
  if (run.status !== 'completed') throw new Error(`${file}: run ${run.status}`);
  uploads.push({
    file,
    bytes: body.length,
    rows: run.counts['rows'] ?? 0,
    accepted_ms: Math.round(accepted),
    completed_s: Math.round((performance.now() - t0) / 10) / 100,
  });
}
const totalSeconds = (performance.now() - started) / 1000;
const totalRows = uploads.reduce((s, u) => s + u.rows, 0);

async function timed(url: string, headers: Record<string, string> = {}): Promise<number[]> {
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}
const scrape = await timed(`${address}/metrics`);
const summary = await timed(`${address}/api/admin/metrics`, auth);
const titles = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles')).rows[0]!.n;

await app.close();
await rm(dataDir, { recursive: true, force: true });

const result = {
  bench: 'admin',
  files: uploads.length,
  rows: totalRows,
  titles,
  upload_total_s: Math.round(totalSeconds * 100) / 100,
  upload_rows_per_s: Math.round(totalRows / totalSeconds),
  upload_accepted_p_max_ms: Math.max(...uploads.map((u) => u.accepted_ms)),
  metrics_scrape_p50_ms: pct(scrape, 50),
  metrics_scrape_p95_ms: pct(scrape, 95),
  admin_metrics_p50_ms: pct(summary, 50),
  admin_metrics_p95_ms: pct(summary, 95),
  requests_per_endpoint: n,
  uploads,
};
if (!values.json) {
  for (const u of uploads)
    console.log(
      `${u.file}: ${u.rows} rows, ${u.bytes} bytes, 202 after ${u.accepted_ms} ms, completed after ${u.completed_s} s`,
    );
  console.log(
    `all ${totalRows} rows in ${result.upload_total_s} s; ` +
      `/metrics p95 ${result.metrics_scrape_p95_ms} ms; /api/admin/metrics p95 ${result.admin_metrics_p95_ms} ms`,
  );
}
console.log(JSON.stringify(result));
