import { randomUUID } from 'node:crypto';
import type { Queryable } from '@media-gateway/db';

/** A run whose heartbeat is older than this is taken to have died (kill -9, crash). */
export const STALE_RUN_SECONDS = 120;

export async function markStaleRunsInterrupted(db: Queryable): Promise<number> {
  const res = await db.query(
    `UPDATE ingest_runs SET status = 'interrupted', finished_at = heartbeat_at
     WHERE status = 'running' AND heartbeat_at < now() - ($1 || ' seconds')::interval`,
    [String(STALE_RUN_SECONDS)],
  );
  return res.rowCount;
}

export async function startRun(db: Queryable, source: string, mode: string): Promise<string> {
  await markStaleRunsInterrupted(db);
  const id = randomUUID();
  await db.query(`INSERT INTO ingest_runs (id, source, mode, status) VALUES ($1, $2, $3, 'running')`, [
    id,
    source,
    mode,
  ]);
  return id;
}

export async function heartbeat(
  db: Queryable,
  runId: string,
  counts: object,
  checkpoint: object | null,
): Promise<void> {
  await db.query(
    'UPDATE ingest_runs SET heartbeat_at = now(), counts = $2::jsonb, checkpoint = $3::jsonb WHERE id = $1',
    [runId, JSON.stringify(counts), checkpoint === null ? null : JSON.stringify(checkpoint)],
  );
}

export async function finishRun(
  db: Queryable,
  runId: string,
  status: 'completed' | 'failed',
  counts: object,
  error?: string,
): Promise<void> {
  await db.query(
    'UPDATE ingest_runs SET status = $2, finished_at = now(), heartbeat_at = now(), counts = $3::jsonb, error = $4 ' +
      'WHERE id = $1',
    [runId, status, JSON.stringify(counts), error ?? null],
  );
}

export async function listRunProblems(
  db: Queryable,
  runId: string,
  limit = 500,
): Promise<Array<{ file: string; row: number; field: string; reason: string }>> {
  const rows = await db.query<{ file: string; row_no: number; field: string; reason: string }>(
    'SELECT file, row_no, field, reason FROM ingest_problems WHERE run_id = $1 ORDER BY row_no LIMIT $2',
    [runId, limit],
  );
  return rows.rows.map((r) => ({ file: r.file, row: r.row_no, field: r.field, reason: r.reason }));
}
