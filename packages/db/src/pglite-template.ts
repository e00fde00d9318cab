import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';
import { fromPglite } from './pglite-db.ts';

/**
 * A migrated, empty PGlite database saved as a tarball. Creating a new on-disk database runs initdb
 * (2–5 s on our machines); restoring this template takes under a second, so a fresh install's first
 * `npm start` answers quickly. Built by the root postinstall; keyed by the migrations' content, so a
 * stale template is simply not used.
 */
const CACHE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'node_modules',
  '.cache',
  'media-gateway',
);

export async function templatePath(dir = MIGRATIONS_DIR): Promise<string> {
  const hash = createHash('sha1');
  for (const f of (await readdir(dir)).sort()) hash.update(f).update(await readFile(join(dir, f)));
  return join(CACHE_DIR, `pglite-template-${hash.digest('hex').slice(0, 12)}.tar.gz`);
}

export async function buildTemplate(): Promise<string> {
  const path = await templatePath();
  const pglite = await PGlite.create({ extensions: { pg_trgm, unaccent } });
  const db = fromPglite(pglite);
  await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await db.query('CREATE EXTENSION IF NOT EXISTS unaccent');
  await migrate(db);
  const blob = await pglite.dumpDataDir('gzip');
  await pglite.close();
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await rename(tmp, path);
  return path;
}

/** The template for the current migrations, if one was built. */
export async function loadTemplate(): Promise<Blob | undefined> {
  try {
    const path = await templatePath();
    await stat(path);
    return new Blob([new Uint8Array(await readFile(path))]);
  } catch {
    return undefined;
  }
}
