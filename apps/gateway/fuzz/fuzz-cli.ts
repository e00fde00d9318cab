/**
 * npm run fuzz -- [--requests 20000] [--seed N] [--json]: the long fuzz run against an in-process
 * gateway on the sample catalog (PGlite; PostgreSQL too with DATABASE_URL). Prints a summary per
 * backend, {requests, by_status, server_errors, non_problem_4xx}, as the last stdout line; exits 1
 * when any request failed the property.
 */
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { testBackends } from '@media-gateway/testkit';
import { fuzzTarget } from './fuzz-app.ts';
import { fuzzApi } from './openapi-fuzz.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { requests: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  strict: true,
});
const requests = Number(values.requests ?? 20_000);
const seed = Number(values.seed ?? Date.now() % 1_000_000);
if (!Number.isInteger(requests) || requests < 1 || requests > 1_000_000) {
  console.error('--requests must be a whole number from 1 to 1,000,000');
  process.exit(2);
}
const out: Record<string, unknown> = { seed };
let failed = false;
for (const backend of testBackends()) {
  const { t, tokens, titleIds } = await fuzzTarget(backend);
  const started = Date.now();
  const s = await fuzzApi(t.app, { requests, seed, tokens, titleIds });
  await t.close();
  failed ||= s.server_errors > 0 || s.non_problem_4xx > 0;
  out[backend] = { ...s, seconds: Math.round((Date.now() - started) / 100) / 10 };
  if (!values.json)
    console.error(`${backend}: ${s.requests} requests, ${s.server_errors} 5xx, ${s.non_problem_4xx} non-problem 4xx`);
}
console.log(JSON.stringify(out));
process.exit(failed ? 1 : 0);
