import { getTitle, listTitles } from '@media-gateway/catalog';
import { DomainError, GENRES, getPlatform, isRegion, TITLE_ID_PATTERN } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

export const TitleIdParams = z
  .object({
    id: z.string().regex(TITLE_ID_PATTERN, 'a title id looks like mg_ followed by 12 letters/digits'),
  })
  .strict();

export const RegionParam = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().refine(isRegion, 'a two-letter country code such as US'));

const PlatformParam = z
  .string()
  .max(40)
  .refine((s) => getPlatform(s) !== undefined, 'unknown platform id (see /api/platforms)');

const ListQuery = z
  .object({
    platform: PlatformParam.optional(),
    type: z.enum(['movie', 'series']).optional(),
    genre: z.enum(GENRES).optional(),
    year_from: z.coerce.number().int().min(1870).max(2100).optional(),
    year_to: z.coerce.number().int().min(1870).max(2100).optional(),
    region: RegionParam.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
  })
  .strict();

export async function titleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/titles/:id',
    summary:
      'One canonical title: facts, offers grouped by region and platform ' +
      'with links and their kind, provenance, resolution confidence.',
    tags: ['catalog'],
    params: TitleIdParams,
    query: z.object({ region: RegionParam.optional() }).strict(),
    responses: { 200: 'TitleView', 404: 'No such title (problem+json)' },
    handler: async ({ params, query }) => {
      const title = await ctx.services.readCache.get(`title:${params.id}:${query.region ?? ''}`, () =>
        getTitle(ctx.db, params.id, {
          ...(query.region ? { region: query.region } : {}),
          now: ctx.clock.now(),
          staleness: ctx.config.catalog.staleness,
        }),
      );
      if (!title)
        throw new DomainError('NOT_FOUND', `No title with id ${params.id}.`, { resource: 'title', id: params.id });
      return title;
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/titles',
    summary: 'Browse canonical titles with filters and stable cursor pagination.',
    tags: ['catalog'],
    query: ListQuery,
    responses: { 200: 'TitlePage' },
    handler: async ({ query }) => {
      if (query.year_from !== undefined && query.year_to !== undefined && query.year_from > query.year_to) {
        throw new DomainError('INVALID_INPUT', 'year_from is after year_to.', {
          issues: [{ path: 'query.year_from', message: 'must not be after year_to' }],
        });
      }
      return ctx.services.readCache.get(`titles:${JSON.stringify(query)}`, () =>
        listTitles(ctx.db, {
          platform: query.platform,
          type: query.type,
          genre: query.genre,
          yearFrom: query.year_from,
          yearTo: query.year_to,
          region: query.region,
          limit: query.limit,
          cursor: query.cursor,
          now: ctx.clock.now(),
          staleness: ctx.config.catalog.staleness,
        }),
      );
    },
  });
}
