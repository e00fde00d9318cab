import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';

export interface WorkerLease {
  /** True while this process holds the lease. */
  held(): boolean;
  /** Stops renewing and gives the lease up at once, so another worker can take over without waiting. */
  release(): Promise<void>;
}

export interface WorkerLeaseOptions {
  db: Db;
  logger: Logger;
  /** The lease's name; one lease per kind of singleton work. */
  name?: string;
  /** How long a lease lasts without renewal (ms); another worker takes over after that. */
  ttlMs?: number;
  /** How often the holder renews and a waiting worker tries (ms). */
  renewMs?: number;
  /** Called when this process becomes the holder: start the scheduled work. */
  onAcquired: () => void;
  /** Called when this process loses the lease (it was frozen past the TTL and another took over). */
  onLost: () => Promise<void> | void;
}

/**
 * Exactly one worker runs the scheduled work, whatever the replica count (issue 16): a row in
 * `worker_leases` that the holder renews every `renewMs` and that expires after `ttlMs`. Expiry
 * is judged by the database's clock, the one clock every replica shares, so skew between machines
 * cannot make two holders. A holder that was frozen (SIGSTOP, a long GC pause) past the TTL finds
 * on its next renewal that another took over, and stops its work.
 */
export function startWorkerLease(options: WorkerLeaseOptions): WorkerLease {
  const name = options.name ?? 'scheduler';
  const ttlMs = options.ttlMs ?? 30_000;
  const renewMs = options.renewMs ?? 10_000;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ component: 'worker-lease', lease: name });
  let held = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const claim = async (): Promise<boolean> => {
    const { rows } = await options.db.query<{ holder: string }>(
      `INSERT INTO worker_leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE worker_leases.holder = EXCLUDED.holder OR worker_leases.expires_at < now()
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return rows[0]?.holder === holder;
  };

  const tick = async () => {
    if (stopped) return;
    let mine: boolean;
    try {
      mine = await claim();
    } catch (error) {
      // The database is away: keep the work as it is; the lease expires by itself if this lasts.
      log.warn({ err: (error as Error).message }, 'could not renew or claim the worker lease');
      return;
    }
    if (stopped) return;
    if (mine && !held) {
      held = true;
      log.info({ holder }, 'holding the worker lease: this process runs the scheduled work');
      options.onAcquired();
    } else if (!mine && held) {
      held = false;
      log.warn({ holder }, 'lost the worker lease to another worker: stopping the scheduled work');
      await options.onLost();
    }
  };

  const loop = () => {
    timer = setTimeout(() => {
      void tick().finally(() => {
        if (!stopped) loop();
      });
    }, renewMs);
    timer.unref();
  };
  void tick().finally(() => {
    if (!stopped) loop();
  });

  return {
    held: () => held,
    async release() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (!held) return;
      held = false;
      await options.db
        .query('DELETE FROM worker_leases WHERE name = $1 AND holder = $2', [name, holder])
        .catch((error) => log.warn({ err: (error as Error).message }, 'could not release the worker lease'));
    },
  };
}
