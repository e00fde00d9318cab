import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { describe } from 'node:test';
import { createDb, type Db, fromPglite, MIGRATIONS_DIR, migrate } from '@media-gateway/db';
import { postgresUrl } from './env.ts';

export type BackendName = 'pglite' | 'postgres';

/** A migrated PGlite template, cached on disk per migration set, so each test DB starts in ~0.5 s. */
function templatePath(): string {
  const hash = createHash('sha1');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) hash.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  return join(tmpdir(), `mg-pglite-template-${hash.digest('hex').slice(0, 12)}.tar`);
}

let templateBlob: Blob | undefined;

async function pgliteFromTemplate(): Promise<Db> {
  if (!templateBlob) {
    const path = templatePath();
    try {
      templateBlob = new Blob([new Uint8Array(await readFile(path))]);
    } catch {
      const seed = await PGlite.create({ extensions: { pg_trgm, unaccent } });
      const seedDb = fromPglite(seed);
      await seedDb.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await seedDb.query('CREATE EXTENSION IF NOT EXISTS unaccent');
      await migrate(seedDb);
      templateBlob = await seed.dumpDataDir('none');
      await seed.close();
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, Buffer.from(await templateBlob.arrayBuffer()));
      await rename(tmp, path);
    }
  }
  const pglite = await PGlite.create({ loadDataDir: templateBlob, extensions: { pg_trgm, unaccent } });
  const db = fromPglite(pglite);
  await migrate(db); // no-op unless migrations changed since the template
  return db;
}

/**
 * A fresh, migrated database for one test: in-memory PGlite, or (backend 'postgres') a new
 * schema on the server at DATABASE_URL that is dropped on close.
 */
export async function freshDb(backend: BackendName = 'pglite'): Promise<Db> {
  if (backend === 'pglite') return pgliteFromTemplate();
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const schema = `mg_t_${randomBytes(6).toString('hex')}`;
  const db = await createDb({ databaseUrl: url, schema });
  return {
    ...db,
    close: async () => {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await db.close();
    },
  };
}

/**
 * The backends this run tests: PGlite always; PostgreSQL when DATABASE_URL is set (required in
 * CI unless MG_TEST_BACKENDS=pglite). A backend left out is registered as a skipped suite with its
 * reason, so a run without PostgreSQL says so instead of quietly testing less.
 */
export function testBackends(): BackendName[] {
  const pg = postgresUrl();
  if (pg.url) return ['pglite', 'postgres'];
  describe('on postgres', { skip: pg.skip }, () => {});
  return ['pglite'];
}
