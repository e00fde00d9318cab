/**
 * The one SQL path: every package talks to PostgreSQL through this small interface, whether the
 * engine is embedded PGlite or a PostgreSQL server. Conventions that keep both engines alike:
 * - cast bigint results to int (`count(*)::int`), since pg returns int8 as a string;
 * - timestamps are `timestamptz` and come back as Date;
 * - json goes in as a JSON string parameter (`$1::jsonb`) and comes back parsed.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PostgreSQL's connection pool right now (metrics); PGlite has no pool. */
  poolStats?(): { total: number; idle: number; waiting: number };
}
