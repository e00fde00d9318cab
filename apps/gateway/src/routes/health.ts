import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

/**
 * Probes come every few seconds from every balancer and orchestrator: a probe that answers is not logged, so a
 * replica's log holds its traffic, not hundreds of probe lines. A failing one is (`probeFailed`).
 */
const PROBE = { logLevel: 'warn' } as const;

function probeFailed(req: FastifyRequest, status: number, reason: string): void {
  req.log.warn({ url: req.url, statusCode: status, reason }, 'probe failed');
}

/** How long the title count shown by /readyz is reused: counting a million rows on every probe would cost more than it tells. */
const TITLE_COUNT_TTL_MS = 60_000;

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  let counted: { at: number; titles: number } | undefined;
  app.get('/healthz', PROBE, async () => ({ status: 'ok' }));
  app.get('/readyz', PROBE, async (req, reply) => {
    if (ctx.lifecycle.draining) {
      probeFailed(req, 503, 'draining');
      reply.status(503).type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Draining',
        status: 503,
        code: 'DRAINING',
        detail: 'This replica is shutting down; requests in flight are finished, new ones should go elsewhere.',
      };
    }
    try {
      const now = ctx.clock.now();
      if (counted && now - counted.at < TITLE_COUNT_TTL_MS) {
        await ctx.db.query('SELECT 1'); // the database still answers
      } else {
        const { rows } = await ctx.db.query<{ titles: number }>('SELECT count(*)::int AS titles FROM titles');
        counted = { at: now, titles: rows[0]?.titles ?? 0 };
      }
      return { status: 'ready', backend: ctx.db.backend, titles: counted.titles };
    } catch (error) {
      probeFailed(req, 503, (error as Error).message);
      reply.status(503).type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Not ready',
        status: 503,
        code: 'NOT_READY',
        detail: (error as Error).message,
      };
    }
  });
}
