import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/**
 * Probes come every few seconds from every balancer and orchestrator: their requests are logged only when they fail
 * (warn and above), so a replica's log holds its traffic, not hundreds of probe lines.
 */
const PROBE = { logLevel: 'warn' } as const;

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/healthz', PROBE, async () => ({ status: 'ok' }));
  app.get('/readyz', PROBE, async (_req, reply) => {
    if (ctx.lifecycle.draining) {
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
      const { rows } = await ctx.db.query<{ titles: number }>('SELECT count(*)::int AS titles FROM titles');
      return { status: 'ready', backend: ctx.db.backend, titles: rows[0]?.titles ?? 0 };
    } catch (error) {
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
