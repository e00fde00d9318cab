import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db.ts';
import { acquireLock, releaseLock } from './data-dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-db.ts';
import { loadTemplate } from './pglite-template.ts';
import { openPostgres } from './postgres-db.ts';

export interface CreateDbOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** Directory for embedded data; PGlite lives in `<dataDir>/pglite`. Undefined = in memory. */
  dataDir?: string;
  schema?: string;
  /** Apply migrations before returning (default true). */
  migrate?: boolean;
}

export async function createDb(options: CreateDbOptions): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    db = await openPostgres({
      connectionString: options.databaseUrl,
      ...(options.schema ? { schema: options.schema } : {}),
    });
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').catch(() => {});
    await db.query('CREATE EXTENSION IF NOT EXISTS unaccent').catch(() => {});
    if (options.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  } else if (options.dataDir) {
    const dir = join(options.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    await acquireLock(options.dataDir);
    // A brand-new directory starts from the prebuilt template when there is one (skips initdb).
    const isNew = (await readdir(dir)).length === 0;
    const template = isNew ? await loadTemplate() : undefined;
    const opened = await openPglite(dir, template ? { loadDataDir: template } : {});
    const dataDir = options.dataDir;
    db = {
      ...opened,
      close: async () => {
        await opened.close();
        await releaseLock(dataDir);
      },
    };
  } else {
    db = await openPglite(undefined);
  }
  if (db.backend === 'pglite') {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query('CREATE EXTENSION IF NOT EXISTS unaccent');
  }
  if (options.migrate !== false) await migrate(db);
  return db;
}
