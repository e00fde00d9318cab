import { memoryBus, redisBus, SyncHub } from '@media-gateway/sync';
import type { AppContext } from '../context.ts';

/**
 * The sync hub for this context, created on first use (decision 0041): `ctx.services.sync`.
 * Redis fan-out when REDIS_URL is set, in memory otherwise. Composed here rather than in
 * services.ts so test apps built from a bare context get the same hub.
 */
/** The hub if this context has started one (erasure drops state from it; nothing to do otherwise). */
export function startedSyncHub(ctx: AppContext): Promise<SyncHub> | undefined {
  return ctx.services['sync'] as Promise<SyncHub> | undefined;
}

export async function syncHub(ctx: AppContext): Promise<SyncHub> {
  const existing = ctx.services['sync'] as Promise<SyncHub> | undefined;
  if (existing) return existing;
  const created = (async () => {
    const bus = ctx.config.redisUrl
      ? await redisBus({
          url: ctx.config.redisUrl,
          onError: (err) =>
            ctx.logger.warn(
              { err: err.message },
              'sync bus (redis) error; serving local devices only until it returns',
            ),
        })
      : memoryBus();
    const hub = new SyncHub({
      db: ctx.db,
      bus,
      logger: ctx.logger,
      ...presenceOption(ctx.config.env['MG_SYNC_PRESENCE_MS']),
    });
    // Runs before the database closes (onClose runs last-registered first).
    ctx.onClose.push(() => hub.close());
    return hub;
  })();
  ctx.services['sync'] = created;
  return created;
}

/**
 * MG_SYNC_PRESENCE_MS: how often a process repeats its devices' presence to the others (a process
 * silent for 3 periods is taken for dead). Default 10 s; tests shorten it.
 */
function presenceOption(raw: string | undefined): { presenceRefreshMs?: number } {
  if (raw === undefined) return {};
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000)
    throw new Error(`MG_SYNC_PRESENCE_MS must be an integer between 100 and 600000, got "${raw}"`);
  return { presenceRefreshMs: ms };
}
