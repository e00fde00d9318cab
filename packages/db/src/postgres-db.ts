import pg from 'pg';
import type { Db, Queryable, QueryResult } from './db.ts';

export interface PostgresOptions {
  connectionString: string;
  /** Schema to put first on the search_path (tests use one schema per test file). */
  schema?: string;
  maxConnections?: number;
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });
  // An idle pooled connection that the server ends (PostgreSQL restarted, failover, network cut) is
  // reported as an 'error' event on the pool; without a listener Node ends the whole process. The
  // pool has already dropped that client and opens a fresh connection for the next query, so the
  // replica keeps serving once the server is back (found by the soak's PostgreSQL restart, issue 17).
  pool.on('error', () => {});
  // Fail at start, with the server's own message, rather than on the first request.
  const client = await pool.connect();
  client.release();
  const asQueryable = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await c.query(sql, params as unknown[]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await c.query(sql);
    },
  });
  return {
    backend: 'postgres',
    query: asQueryable(pool).query,
    exec: asQueryable(pool).exec,
    async transaction(fn) {
      const conn = await pool.connect();
      // A checked-out client whose connection dies between two queries (PostgreSQL restarted during the
      // transaction) emits 'error'; with no listener Node ends the process — a soak replica once left
      // the load balancer that way. Here the next query fails instead, the transaction rolls back and
      // release() drops the broken client.
      const ignore = () => {};
      conn.on('error', ignore);
      try {
        await conn.query('BEGIN');
        const out = await fn(asQueryable(conn));
        await conn.query('COMMIT');
        return out;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        conn.off('error', ignore);
        conn.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
