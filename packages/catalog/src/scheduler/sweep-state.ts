import type { Queryable } from '@media-gateway/db';
import type { Cursor } from '../sources/live-sources.ts';

export interface SweepStart {
  startedAt: Date;
  resume?: { cursor: Cursor; firstRow: number };
}

/**
 * Starts a sweep of `source` (tmdb:US) in a mode, or continues the one an interrupted, failed or
 * quota-stopped run left in progress: the resume point is the last recorded page start at or
 * before the highest committed checkpoint row of the sweep's runs. Re-reading that page is
 * harmless because ingestion is idempotent.
 */
export async function beginSweep(db: Queryable, source: string, mode: 'full' | 'incremental'): Promise<SweepStart> {
  const existing = await db.query<{ status: string; started_at: Date }>(
    'SELECT status, started_at FROM ingest_sweeps WHERE source = $1 AND mode = $2',
    [source, mode],
  );
  const sweep = existing.rows[0];
  if (sweep && sweep.status === 'in_progress') {
    const cp = await db.query<{ row: number | null }>(
      `SELECT max((checkpoint->>'row')::int) AS row FROM ingest_runs ` +
        `WHERE source = $1 AND mode = $2 AND started_at >= $3`,
      [source, mode, sweep.started_at],
    );
    const row = cp.rows[0]?.row ?? 0;
    const page = await db.query<{ first_row: number; cursor: Cursor }>(
      'SELECT first_row, cursor FROM ingest_sweep_pages WHERE source = $1 ' +
        'AND mode = $2 AND first_row <= $3 ORDER BY first_row DESC LIMIT 1',
      [source, mode, row + 1],
    );
    const p = page.rows[0];
    return { startedAt: sweep.started_at, ...(p ? { resume: { cursor: p.cursor, firstRow: p.first_row } } : {}) };
  }
  const started = await db.query<{ started_at: Date }>(
    `INSERT INTO ingest_sweeps (source, mode, status, started_at, finished_at)
     VALUES ($1, $2, 'in_progress', now(), NULL)
     ON CONFLICT (source, mode) DO UPDATE SET status = 'in_progress', started_at = now(), finished_at = NULL
     RETURNING started_at`,
    [source, mode],
  );
  await db.query('DELETE FROM ingest_sweep_pages WHERE source = $1 AND mode = $2', [source, mode]);
  return { startedAt: started.rows[0]!.started_at };
}

export async function recordPage(
  db: Queryable,
  source: string,
  mode: string,
  firstRow: number,
  cursor: Cursor,
): Promise<void> {
  await db.query(
    `INSERT INTO ingest_sweep_pages (source, mode, first_row, cursor) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (source, mode, first_row) DO UPDATE SET cursor = EXCLUDED.cursor`,
    [source, mode, firstRow, JSON.stringify(cursor)],
  );
}

export async function finishSweep(db: Queryable, source: string, mode: string): Promise<void> {
  await db.query(`UPDATE ingest_sweeps SET status = 'done', finished_at = now() WHERE source = $1 AND mode = $2`, [
    source,
    mode,
  ]);
  await db.query('DELETE FROM ingest_sweep_pages WHERE source = $1 AND mode = $2', [source, mode]);
}
