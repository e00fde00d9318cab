import { listIngestionRuns, liveSourceStatuses } from '@media-gateway/catalog';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const RunsQuery = z
  .object({
    source: z
      .string()
      .regex(/^[a-z][a-z0-9-]*(:[a-z0-9-]+)*(:[A-Z]{2})?$/, 'a source name such as tmdb or tmdb:US')
      .max(80)
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/** Ingestion run history and which live sources are configured (admin scope). */
export async function adminIngestionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/admin/ingestion/runs',
    summary: 'Ingestion runs (started, finished, counts, errors), newest first, and the status of each live source.',
    tags: ['admin'],
    scope: 'admin',
    query: RunsQuery,
    preHandler: requireScope(ctx, 'admin'),
    handler: async ({ query }) => ({
      sources: liveSourceStatuses(ctx.config.catalog.sourceKeys),
      runs: await listIngestionRuns(ctx.db, { ...(query.source ? { source: query.source } : {}), limit: query.limit }),
    }),
  });
}
