import { listMerges, overrideResolution } from '@media-gateway/catalog';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const QueueQuery = z
  .object({
    // Confidences are stored as real (4 bytes): a threshold finer than a millionth means nothing.
    below: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .transform((x) => Math.round(x * 1e6) / 1e6),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    titleId: z
      .string()
      .regex(/^mg_[a-z2-7]{12}$/, 'a title id such as mg_abcdefghijkl')
      .optional(),
  })
  .strict();

const OverrideBody = z
  .object({
    source: z.string().min(1).max(120),
    sourceKey: z.string().min(1).max(300),
    action: z.enum(['split', 'merge']),
    targetTitleId: z
      .string()
      .regex(/^mg_[a-z2-7]{12}$/, 'a title id such as mg_abcdefghijkl')
      .optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'merge' || b.targetTitleId !== undefined, {
    message: 'a merge needs targetTitleId',
    path: ['targetTitleId'],
  })
  .refine((b) => b.action !== 'split' || b.targetTitleId === undefined, {
    message: 'a split takes no targetTitleId (the record gets a title of its own)',
    path: ['targetTitleId'],
  });

/**
 * The entity-resolution review queue over HTTP (issue 2): records merged into a title another
 * record created, lowest confidence first, and the operator's split/merge decision, which
 * re-ingestion respects (decision 0002).
 */
export async function adminResolutionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/admin/resolution',
    summary:
      'Review queue: merged records with confidence ≤ `below` (default 0.9), ' +
      'lowest first, with the evidence; or every record of `titleId`.',
    tags: ['admin'],
    scope: 'admin',
    query: QueueQuery,
    preHandler: requireScope(ctx, 'admin'),
    responses: { 200: 'MergeQueue', 400: 'bad parameter', 401: 'no token', 403: 'no admin scope' },
    handler: async ({ query }) => ({
      below: query.below,
      items: await listMerges(ctx.db, {
        maxConfidence: query.below,
        limit: query.limit,
        ...(query.titleId ? { titleId: query.titleId } : {}),
      }),
    }),
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/admin/resolution/override',
    summary:
      'Split a record onto a title of its own, or merge it into ' +
      '`targetTitleId`; stored so re-ingestion keeps the decision.',
    tags: ['admin'],
    scope: 'admin',
    body: OverrideBody,
    preHandler: requireScope(ctx, 'admin'),
    responses: {
      200: 'ResolutionOverride',
      400: 'bad body',
      401: 'no token',
      403: 'no admin scope',
      404: 'no such record or title',
      409: 'different IMDb ids',
    },
    handler: async ({ body }) => {
      const result = await overrideResolution(ctx.db, {
        source: body.source,
        sourceKey: body.sourceKey,
        action: body.action,
        ...(body.targetTitleId ? { targetTitleId: body.targetTitleId } : {}),
        ...(body.note ? { note: body.note } : {}),
      });
      return { ...result, action: body.action, source: body.source, sourceKey: body.sourceKey };
    },
  });
}
