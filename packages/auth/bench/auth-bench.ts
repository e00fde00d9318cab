/**
 * bench:auth — access-token verification per request (target p95 ≤ 0.5 ms) and token-endpoint
 * throughput. Throughput is measured on the grant service (refresh with rotation: one read, two
 * writes, one signature), i.e. the token endpoint without HTTP parsing, on embedded PGlite by
 * default or PostgreSQL with DATABASE_URL. Prints one JSON object as the last line.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { freshDb } from '@media-gateway/testkit';
import { createAuthServer } from '../src/auth-server.ts';
import { createTokenService } from '../src/token-service.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, seconds: { type: 'string' }, concurrency: { type: 'string' } }, strict: true });
const seconds = Number(values.seconds ?? 5);
const concurrency = Number(values.concurrency ?? 8);

const db = await freshDb(process.env['DATABASE_URL'] ? 'postgres' : 'pglite');
const tokens = await createTokenService(db, { issuer: 'http://bench.local' });
const auth = await createAuthServer(db, tokens, { issuer: 'http://bench.local', localAccounts: true, revocationRefreshMs: 0 });
const user = await auth.users.createLocalUser({ email: 'bench@example.test', password: 'bench password 123' });

// Verification: many distinct tokens, each verified as a request would (signature, claims, revocation set).
const issued = await Promise.all(Array.from({ length: 200 }, () => tokens.issueAccessToken({ userId: user.id, clientId: 'mg-web', scopes: ['catalog:read'], familyId: 'fam_bench' })));
for (let i = 0; i < 500; i++) await tokens.verifyAccessToken(issued[i % issued.length]!.token); // warm-up
const samples: number[] = [];
for (let i = 0; i < 5000; i++) {
  const t0 = performance.now();
  await tokens.verifyAccessToken(issued[i % issued.length]!.token);
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;

// Throughput: `concurrency` clients each refreshing their own grant in a loop.
let done = 0;
const stopAt = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: concurrency }, async () => {
  let current = (await auth.grants.issue({ userId: user.id, clientId: 'mg-cli', scopes: ['catalog:read'] })).refresh_token;
  while (performance.now() < stopAt) {
    current = (await auth.grants.refresh({ refreshToken: current, clientId: 'mg-cli' })).refresh_token;
    done++;
  }
}));
const result = {
  verify_p50_ms: Number(pct(0.5).toFixed(4)),
  verify_p95_ms: Number(pct(0.95).toFixed(4)),
  verify_p99_ms: Number(pct(0.99).toFixed(4)),
  token_rps: Math.round(done / seconds),
  token_path: 'refresh_token grant via grant service (no HTTP)',
  backend: db.backend,
  concurrency,
  seconds,
};
auth.close();
await db.close();
if (!values.json) console.log(`verify p95 ${result.verify_p95_ms} ms (target ≤ 0.5); token endpoint ${result.token_rps} refreshes/s on ${result.backend}`);
console.log(JSON.stringify(result));
