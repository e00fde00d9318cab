import { listRunProblems } from '@media-gateway/catalog';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const Params = z
  .object({
    id: z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        'a run id (UUID) from GET /api/admin/ingestion/runs',
      ),
  })
  .strict();
const Query = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) }).strict();

/** GET /api/admin/ingestion/runs/:id/problems: the per-row errors a run stored (file, row, field, reason). */
export async function adminRunProblemsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/admin/ingestion/runs/:id/problems',
    summary: 'Row problems of one ingestion run, in row order: file, row, field, reason; `total` counts them all.',
    tags: ['admin'],
    scope: 'admin',
    params: Params,
    query: Query,
    preHandler: requireScope(ctx, 'admin'),
    responses: {
      200: '{runId, source, status, total, problems[]}',
      400: 'bad id',
      401: 'no token',
      403: 'no admin scope',
      404: 'no such run',
    },
    handler: async ({ params, query }) => {
      const run = await ctx.db.query<{ source: string; status: string; total: number }>(
        'SELECT r.source, r.status, (SELECT count(*)::int FROM ingest_problems p WHERE p.run_id = r.id) AS total ' +
          'FROM ingest_runs r WHERE r.id = $1',
        [params.id],
      );
      const row = run.rows[0];
      if (!row)
        throw new DomainError('NOT_FOUND', `No ingestion run ${params.id}.`, { resource: 'ingest-run', id: params.id });
      return {
        runId: params.id,
        source: row.source,
        status: row.status,
        total: row.total,
        problems: await listRunProblems(ctx.db, params.id, query.limit),
      };
    },
  });
}
