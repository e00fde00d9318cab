/**
 * bench:auth — access-token verification per request (target p95 ≤ 0.5 ms) and the real token
 * endpoint's throughput over loopback HTTP: POST /oauth/token with the refresh_token grant (form
 * body, client mg-cli), each of `--concurrency` clients rotating its own refresh token in a loop,
 * so every request does the full rotation (one read, two writes, one signature, an audit row).
 * The load runs in a worker thread so the client's own work does not share the server's event
 * loop. Embedded PGlite by default, PostgreSQL with DATABASE_URL; with REDIS_URL the token
 * endpoint's rate counter lives in Redis. Prints one JSON object as the last stdout line.
 * Usage: npm run bench:auth -- [--seconds 5] [--concurrency 8] [--json]
 */
import { performance } from 'node:perf_hooks';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { Worker } from 'node:worker_threads';
import { createTokenService } from '@media-gateway/auth';
import { noopLogger } from '@media-gateway/domain';
import { freshDb } from '@media-gateway/testkit';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/compose.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { json: { type: 'boolean' }, seconds: { type: 'string' }, concurrency: { type: 'string' } },
  strict: true,
});
const seconds = Number(values.seconds ?? 5);
const concurrency = Number(values.concurrency ?? 8);
if (!(seconds > 0 && seconds <= 60) || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('--seconds must be in (0, 60] and --concurrency a whole number from 1 to 64');
  process.exit(2);
}

const db = await freshDb(process.env['DATABASE_URL'] ? 'postgres' : 'pglite');
const redisUrl = process.env['REDIS_URL'] || undefined;
const config = loadConfig({
  MG_PUBLIC_URL: 'http://127.0.0.1',
  LOG_LEVEL: 'silent',
  MG_API_RATE_LIMIT: '0',
  MG_API_RATE_LIMIT_ANONYMOUS: '0',
  // The bench measures the endpoint, not the limiter's refusals: lift the per-IP/per-client budget.
  MG_AUTH_RATE_LIMIT_TOKEN: '100000000',
  ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
});
const tokens = await createTokenService(db, { issuer: config.publicUrl });
const ctx = contextFor({ config, db, logger: noopLogger, tokens });
const app = await buildApp(ctx);
const auth = await ctx.services.auth();
const user = await auth.users.createLocalUser({ email: 'bench@example.test', password: 'bench password 123' });

// Verification: many distinct tokens, each verified as a request would (signature, claims, revocation set).
const issued = await Promise.all(
  Array.from({ length: 200 }, () =>
    tokens.issueAccessToken({ userId: user.id, clientId: 'mg-web', scopes: ['catalog:read'], familyId: 'fam_bench' }),
  ),
);
for (let i = 0; i < 500; i++) await tokens.verifyAccessToken(issued[i % issued.length]!.token); // warm-up
const samples: number[] = [];
for (let i = 0; i < 5000; i++) {
  const t0 = performance.now();
  await tokens.verifyAccessToken(issued[i % issued.length]!.token);
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

// Token endpoint over HTTP: one grant per client, started through the grant service (setup only).
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/oauth/token`;
const refreshTokens = await Promise.all(
  Array.from(
    { length: concurrency },
    async () =>
      (await auth.grants.issue({ userId: user.id, clientId: 'mg-cli', scopes: ['catalog:read'] })).refresh_token,
  ),
);

// Plain JS in the worker: keep-alive fetch, each client rotating its own refresh token.
const LOAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { url, tokens, warmupMs, measureMs } = workerData;
const start = performance.now();
const warmEnd = start + warmupMs;
const stopAt = warmEnd + measureMs;
let ok = 0, failed = 0; const latencies = []; let firstError;
async function client(token) {
  while (performance.now() < stopAt) {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'mg-cli' }) });
    const body = await res.json();
    const t1 = performance.now();
    if (res.status !== 200) { failed++; firstError ??= res.status + ' ' + JSON.stringify(body); return; }
    token = body.refresh_token;
    if (t0 >= warmEnd && t1 <= stopAt) { ok++; latencies.push(t1 - t0); }
  }
}
Promise.all(tokens.map(client)).then(() => parentPort.postMessage({ ok, failed, latencies, firstError }));
`;
const warmupMs = 1000;
const load = await new Promise<{ ok: number; failed: number; latencies: number[]; firstError?: string }>(
  (resolve, reject) => {
    const worker = new Worker(LOAD, {
      eval: true,
      workerData: { url, tokens: refreshTokens, warmupMs, measureMs: seconds * 1000 },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  },
);
if (load.failed) throw new Error(`token endpoint failed during the bench: ${load.firstError}`);
const latencies = load.latencies.sort((a, b) => a - b);

const result = {
  verify_p50_ms: Number(pct(samples, 0.5).toFixed(4)),
  verify_p95_ms: Number(pct(samples, 0.95).toFixed(4)),
  verify_p99_ms: Number(pct(samples, 0.99).toFixed(4)),
  token_rps: Math.round(load.ok / seconds),
  token_p50_ms: Number(pct(latencies, 0.5).toFixed(2)),
  token_p95_ms: Number(pct(latencies, 0.95).toFixed(2)),
  token_path: 'POST /oauth/token (refresh_token grant with rotation) over loopback HTTP, keep-alive',
  backend: db.backend,
  rate_limit_store: auth.storage,
  concurrency,
  seconds,
};
await app.close();
if (!values.json) {
  console.log(
    `verify p95 ${result.verify_p95_ms} ms (target ≤ 0.5); POST /oauth/token ${result.token_rps} ` +
      `refreshes/s (p95 ${result.token_p95_ms} ms) on ${result.backend}`,
  );
}
console.log(JSON.stringify(result));
