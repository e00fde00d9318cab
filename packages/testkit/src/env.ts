import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** True in CI: there, a missing dataset or service is a failure, never a skip. */
export const IS_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/**
 * The shared datasets directory (MG_DATASETS). Returns a skip reason when absent outside CI;
 * throws in CI so a missing dataset fails the run.
 */
export function datasetsDir(): { dir: string; skip?: undefined } | { dir?: undefined; skip: string } {
  const configured = process.env['MG_DATASETS'];
  const dir = configured ? resolve(configured) : undefined;
  if (dir && existsSync(join(dir, 'catalogs'))) return { dir };
  const reason = `datasets not found (set MG_DATASETS to the shared datasets folder; got ${configured ?? 'nothing'})`;
  if (IS_CI) throw new Error(`CI needs the datasets: ${reason}`);
  return { skip: reason };
}

/** REDIS_URL, or a skip reason (an error in CI). */
export function redisUrl(): { url: string; skip?: undefined } | { url?: undefined; skip: string } {
  const url = process.env['REDIS_URL'];
  if (url) return { url };
  if (IS_CI) throw new Error('CI needs REDIS_URL');
  return { skip: 'REDIS_URL not set' };
}

/**
 * What the run was asked to cover. `MG_TEST_BACKENDS=pglite` is the one explicit way to run without
 * PostgreSQL in CI (the moved-clock run: faketime cannot move a separate server's clock); every
 * suite that needs PostgreSQL then reports itself skipped with that reason.
 */
export function requestedBackends(): Array<'pglite' | 'postgres'> | undefined {
  const raw = process.env['MG_TEST_BACKENDS'];
  if (!raw) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (n !== 'pglite' && n !== 'postgres')
      throw new Error(`MG_TEST_BACKENDS: unknown backend "${n}" (pglite, postgres)`);
  return names as Array<'pglite' | 'postgres'>;
}

/**
 * DATABASE_URL for suites that need a real PostgreSQL server (several processes sharing it), or a
 * skip reason. In CI a missing URL fails, unless the run explicitly chose PGlite only.
 */
export function postgresUrl(): { url: string; skip?: undefined } | { url?: undefined; skip: string } {
  const requested = requestedBackends();
  if (requested && !requested.includes('postgres'))
    return { skip: `MG_TEST_BACKENDS=${requested.join(',')} (this run excludes PostgreSQL)` };
  const url = process.env['DATABASE_URL'];
  if (url) return { url };
  if (IS_CI) throw new Error('CI needs DATABASE_URL (or MG_TEST_BACKENDS=pglite to run without PostgreSQL on purpose)');
  return { skip: 'DATABASE_URL not set' };
}

/** A command on PATH (e.g. redis-server for the outage test), or a skip reason; missing in CI fails. */
export function commandOnPath(name: string, why: string): string | undefined {
  if (isOnPath(name)) return undefined;
  if (IS_CI) throw new Error(`CI needs ${name} on PATH: ${why}`);
  return `${name} not installed (${why})`;
}

/** Whether an executable called `name` is in a directory on PATH. */
export function isOnPath(name: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}
