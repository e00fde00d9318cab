import { hostname } from 'node:os';
import type { Queryable } from '@media-gateway/db';
import { STALE_RUN_SECONDS } from '../pipeline/ingest-runs.ts';

export const HOLDER = `${process.pid}@${hostname()}`;

/**
 * Takes the per-source lock so that a source never runs twice at once, across processes and
 * replicas (the lock lives in the shared database). A holder that stopped heart-beating (kill -9)
 * loses the lock after STALE_RUN_SECONDS. Returns false when someone else holds it.
 */
export async function acquireSourceLock(db: Queryable, source: string, holder = HOLDER): Promise<boolean> {
  if (await tryLock(db, source, holder)) return true;
  // A holder on this machine whose process is gone (kill -9) need not wait for the stale timeout.
  const current = await sourceLockHolder(db, source);
  if (current && current !== holder && isDeadLocalHolder(current)) {
    await db.query('DELETE FROM ingest_source_locks WHERE source = $1 AND holder = $2', [source, current]);
    return tryLock(db, source, holder);
  }
  return false;
}

function isDeadLocalHolder(holder: string): boolean {
  const [pid, host] = holder.split('@');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function tryLock(db: Queryable, source: string, holder: string): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO ingest_source_locks (source, holder) VALUES ($1, $2)
     ON CONFLICT (source) DO UPDATE SET holder = EXCLUDED.holder, acquired_at = now(), heartbeat_at = now()
     WHERE ingest_source_locks.heartbeat_at < now() - ($3 || ' seconds')::interval
       OR ingest_source_locks.holder = EXCLUDED.holder`,
    [source, holder, String(STALE_RUN_SECONDS)],
  );
  return res.rowCount > 0;
}

export async function heartbeatSourceLock(db: Queryable, source: string, holder = HOLDER): Promise<void> {
  await db.query('UPDATE ingest_source_locks SET heartbeat_at = now() WHERE source = $1 AND holder = $2', [
    source,
    holder,
  ]);
}

export async function releaseSourceLock(db: Queryable, source: string, holder = HOLDER): Promise<void> {
  await db.query('DELETE FROM ingest_source_locks WHERE source = $1 AND holder = $2', [source, holder]);
}

export async function sourceLockHolder(db: Queryable, source: string): Promise<string | undefined> {
  const res = await db.query<{ holder: string }>('SELECT holder FROM ingest_source_locks WHERE source = $1', [source]);
  return res.rows[0]?.holder;
}
