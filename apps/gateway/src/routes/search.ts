import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getUserSettings } from '@media-gateway/catalog';
import { REGION_PATTERN } from '@media-gateway/domain';
import { createSearchService, MAX_QUERY_LENGTH, type SearchService } from '@media-gateway/search';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { optionalAuth } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const SearchBody = z
  .object({
    // Over-long queries are rejected by the schema with a clear 400 before any work is done.
    query: z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`),
    region: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(REGION_PATTERN, 'a two-letter country code such as US'))
      .optional(),
    services: z.array(z.string().max(40)).max(20).optional(),
    type: z.enum(['movie', 'series']).optional(),
    limit: z.number().int().min(1).max(50).optional(),
    cursor: z.string().max(300).optional(),
  })
  .strict();

const SuggestQuery = z
  .object({
    q: z.string().max(100),
    limit: z.coerce.number().int().min(1).max(20).default(8),
  })
  .strict();

/**
 * The search service (key `search` in ctx.services) is created on first use, not at registration:
 * loading or training the index takes seconds and most apps built in tests never search. The
 * index is saved under `<dataDir>/search` only when that data dir is really in use (embedded
 * PGlite there, or MG_DATA_DIR set explicitly), so test apps never write into the working tree.
 * A started server calls this with `background` right after it listens (`startSearchInBackground`):
 * the vector index then loads or trains behind words-only answers instead of holding the first search.
 */
export function searchService(ctx: AppContext, options: { background?: boolean } = {}): Promise<SearchService> {
  const existing = ctx.services['search'] as Promise<SearchService> | undefined;
  if (existing) return existing;
  const env = ctx.config.env;
  const persist =
    env['MG_SEARCH_INDEX'] !== 'memory' &&
    (existsSync(join(ctx.config.dataDir, 'pglite')) || env['MG_DATA_DIR'] !== undefined);
  const llm =
    env['MG_LLM_BASE_URL'] && env['MG_LLM_MODEL']
      ? {
          baseUrl: env['MG_LLM_BASE_URL'],
          model: env['MG_LLM_MODEL'],
          apiKey: env['MG_LLM_API_KEY'],
          timeoutMs: Number(env['MG_LLM_TIMEOUT_MS'] ?? 800),
        }
      : undefined;
  const created = createSearchService({
    db: ctx.db,
    dataDir: persist ? ctx.config.dataDir : undefined,
    llm,
    logger: ctx.logger,
    clock: ctx.clock,
    background: options.background,
  });
  ctx.services['search'] = created;
  // A failed start is not cached: the next request tries again.
  created.catch(() => {
    if (ctx.services['search'] === created) delete ctx.services['search'];
  });
  return created;
}

/** Server start: load the catalog snapshot and the vector index now, without holding anything up. */
export function startSearchInBackground(ctx: AppContext): void {
  searchService(ctx, { background: true }).catch((error) => {
    ctx.logger.warn({ err: error }, 'search could not start; the first search will try again');
  });
}

export async function searchRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'POST',
    path: '/api/search',
    summary:
      'Natural-language search: constraints in the query (services, type, genres, moods, years, runtime, maturity, people, country, negations, "like X") are filters; results carry offers with links and a reason. A token adds your region and "my services".',
    tags: ['search'],
    body: SearchBody,
    preHandler: optionalAuth(ctx),
    responses: {
      200: '{understood, results, nextCursor?}',
      400: 'Empty or over-long query, unknown service id, bad cursor (problem+json)',
    },
    handler: async ({ body, req }) => {
      const service = await searchService(ctx);
      const user = req.auth ? await getUserSettings(ctx.db, req.auth.userId) : undefined;
      return service.search({
        query: body.query,
        region: body.region,
        services: body.services,
        type: body.type,
        limit: body.limit,
        cursor: body.cursor,
        user: user ? { region: user.region, services: user.services } : undefined,
      });
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/search/suggest',
    summary: 'As-you-type title suggestions (prefix and typo tolerant, popular first).',
    tags: ['search'],
    query: SuggestQuery,
    handler: async ({ query }) => ({ suggestions: (await searchService(ctx)).suggest(query.q, query.limit) }),
  });
}
