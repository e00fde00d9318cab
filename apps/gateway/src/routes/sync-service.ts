import { memoryBus, redisBus, SyncHub } from '@media-gateway/sync';
import type { AppContext } from '../context.ts';

/**
 * The sync hub for this context, created on first use (decision 0043): `ctx.services.sync`.
 * Redis fan-out when REDIS_URL is set, in memory otherwise. Composed here rather than in
 * services.ts so test apps built from a bare context get the same hub.
 */
export async function syncHub(ctx: AppContext): Promise<SyncHub> {
  const existing = ctx.services['sync'] as Promise<SyncHub> | undefined;
  if (existing) return existing;
  const created = (async () => {
    const bus = ctx.config.redisUrl
      ? await redisBus({ url: ctx.config.redisUrl, onError: (err) => ctx.logger.warn({ err: err.message }, 'sync bus (redis) error; serving local devices only until it returns') })
      : memoryBus();
    const hub = new SyncHub({ db: ctx.db, bus, logger: ctx.logger });
    // Runs before the database closes (onClose runs last-registered first).
    ctx.onClose.push(() => hub.close());
    return hub;
  })();
  ctx.services['sync'] = created;
  return created;
}
