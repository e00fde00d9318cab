import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
