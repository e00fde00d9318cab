import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Db, Queryable, QueryResult } from './db.ts';

type PgliteLike = Pick<PGlite, 'query' | 'exec' | 'close'>;

function wrap(target: Pick<PgliteLike, 'query' | 'exec'>): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await target.query<T>(sql, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT; PostgreSQL's rowCount is the rows returned.
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/** Opens PGlite on a directory (or in memory when dataDir is undefined). */
export async function openPglite(dataDir: string | undefined, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm, unaccent },
  });
  return fromPglite(pglite);
}

export function fromPglite(pglite: PGlite): Db {
  const base = wrap(pglite);
  return {
    backend: 'pglite',
    query: base.query,
    exec: base.exec,
    // PGlite serialises transactions itself, so concurrent callers cannot interleave statements.
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    close: () => pglite.close(),
  };
}
