// What a CI run must have before any test starts. Without it a suite would skip itself or fail
// deep inside with a confusing error; here the run stops at once and names everything missing.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (name, env) => (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));

/** Problems with this environment for a CI run (empty when ready, or when not in CI). */
export function ciPreflight(env = process.env) {
  if (env.CI !== 'true' && env.CI !== '1') return [];
  const problems = [];
  const backends = (env.MG_TEST_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
  if (backends.includes('postgres') && !env.DATABASE_URL) {
    problems.push(
      'DATABASE_URL is not set (PostgreSQL suites; set MG_TEST_BACKENDS=pglite to leave them out on purpose)',
    );
  }
  if (!env.REDIS_URL) problems.push('REDIS_URL is not set (Redis fan-out, sessions and rate-limit suites)');
  if (!onPath('redis-server', env))
    problems.push('redis-server is not on PATH (the Redis outage test runs a private one)');
  for (const [bin, why] of [
    ['promtool', 'alert rule checks and unit tests, npm run check:observability'],
    ['prometheus', 'the Prometheus scrape test'],
  ])
    if (!onPath(bin, env)) problems.push(`${bin} is not on PATH (apt-get install prometheus; ${why})`);
  if (!onPath('haproxy', env))
    problems.push('haproxy is not on PATH (apt-get install haproxy; the soak test runs it in front of the replicas)');
  if (!onPath('wrk', env))
    problems.push('wrk is not on PATH (apt-get install wrk; the HTTP load generator test, bench:search)');
  const chromium = env.MG_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) problems.push(`Chromium is not at ${chromium} (apt-get install chromium; browser tests)`);
  if (!env.MG_DATASETS || !existsSync(join(env.MG_DATASETS, 'catalogs'))) {
    problems.push(`MG_DATASETS does not point at the shared datasets (got ${env.MG_DATASETS ?? 'nothing'})`);
  }
  return problems;
}
