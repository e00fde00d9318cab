import { isRegion } from '@media-gateway/domain';
import { MAX_QUERY_LENGTH, type PersonalRanking } from '@media-gateway/search';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { callerSettings, optionalAuth } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const SearchBody = z
  .object({
    // Over-long queries are rejected by the schema with a clear 400 before any work is done.
    query: z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`),
    region: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().refine(isRegion, 'a two-letter country code such as US'))
      .optional(),
    services: z.array(z.string().max(40)).max(20).optional(),
    type: z.enum(['movie', 'series']).optional(),
    limit: z.number().int().min(1).max(50).optional(),
    cursor: z.string().max(300).optional(),
    /** Signed in with the recommendations scope, results are ranked for you unless this is false. */
    personal: z.boolean().optional(),
  })
  .strict();

const SuggestQuery = z
  .object({
    q: z.string().max(100),
    limit: z.coerce.number().int().min(1).max(20).default(8),
  })
  .strict();

/**
 * The person's taste for search (decision 0056): only with a token that may read their
 * recommendations, and only when the configured weight is above 0.
 */
function personalRanking(
  ctx: AppContext,
  auth: { userId: string; scopes: readonly string[] },
): PersonalRanking | undefined {
  const weight = ctx.config.search.personalWeight;
  if (weight <= 0 || !auth.scopes.includes('recommendations')) return undefined;
  return { weight, affinity: (ids) => ctx.services.recommender().affinity(auth.userId, ids) };
}

/**
 * Server start: load the catalog snapshot and the vector index now, without holding anything up, and start the
 * search worker threads once that index is ready, before the searches they are for arrive.
 */
export function startSearchInBackground(ctx: AppContext): void {
  ctx.services.search({ background: true }).then(
    (service) => ctx.services.searchAnswers().attach(service),
    (error) => ctx.logger.warn({ err: error }, 'search could not start; the first search will try again'),
  );
}

export async function searchRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'POST',
    path: '/api/search',
    summary:
      'Natural-language search: constraints in the query (services, type, genres, moods, years, runtime, maturity, ' +
      'people, country, negations, "like X") are filters; results carry offers with links and a reason. ' +
      'A token adds your region and "my services"; with the recommendations scope, results that meet every ' +
      'constraint are also ranked for your taste (personal: false turns it off).',
    tags: ['search'],
    body: SearchBody,
    preHandler: optionalAuth(ctx),
    responses: {
      200: 'SearchResponse',
      400: 'Empty or over-long query, unknown service id, bad cursor (problem+json)',
    },
    handler: async ({ body, req, reply }) => {
      const service = await ctx.services.search();
      const user = await callerSettings(ctx, req.auth);
      // Anonymous answers depend only on the request and the search's catalog copy: popular searches are
      // served from the read cache until that copy changes. A signed-in person's depend on their settings;
      // degraded answers (words only while the vector index loads, the rules after the language model
      // timed out) are not kept.
      const run = () =>
        ctx.services.searchAnswers().answer(service, {
          query: body.query,
          region: body.region,
          services: body.services,
          type: body.type,
          limit: body.limit,
          cursor: body.cursor,
          user: user ? { region: user.region, services: user.services } : undefined,
          personal: req.auth && body.personal !== false ? personalRanking(ctx, req.auth) : undefined,
        });
      // Answers are JSON text already (made on the search worker thread when it is up: decision 0124).
      reply.type('application/json; charset=utf-8');
      if (user || !service.vectors) return (await run()).json;
      // Keyed by the search's own catalog copy (decision 0114): an answer is as fresh as a new search's would
      // be, and a cache hit costs no database query.
      // The cache keeps the serialised answer: one string per entry instead of a graph of small objects, so a full
      // cache adds little to garbage collection, and a hit is not serialised again.
      const cached = await ctx.services.readCache.get(
        `search:${JSON.stringify(body)}`,
        run,
        (res) => !ctx.config.search.llm || res.parser === 'llm',
        async () => {
          await service.refreshIfDue();
          return `search:${service.answerVersion}`;
        },
      );
      return cached.json;
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/search/suggest',
    summary: 'As-you-type title suggestions (prefix and typo tolerant, popular first).',
    tags: ['search'],
    query: SuggestQuery,
    handler: async ({ query }) => ({ suggestions: (await ctx.services.search()).suggest(query.q, query.limit) }),
  });
}
