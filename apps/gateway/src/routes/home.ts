import { createHash } from 'node:crypto';
import { DEFAULT_REGION } from '@media-gateway/catalog';
import { DomainError } from '@media-gateway/domain';
import { TrendStore } from '@media-gateway/recommend';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callerSettings, optionalAuth } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { buildHome, type HomeViewer } from '../home/build-home.ts';
import { COVER_DEFAULT_WIDTH, COVER_MAX_WIDTH, COVER_MIN_WIDTH, coverSvg } from '../home/cover-svg.ts';
import { defineRoute } from '../route.ts';
import { RegionParam, TitleIdParams } from './titles.ts';

/** A week: covers change only when a title's name, year or genres do, and the ETag catches that. */
const COVER_CACHE = 'public, max-age=604800, stale-while-revalidate=86400';
/** An SVG opened on its own is a document: it may draw, never run or load anything. */
export const COVER_CSP = "default-src 'none'; style-src 'unsafe-inline'";

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Sends `body` with its ETag, or 304 when the client already holds that exact answer. */
export function sendTagged(req: FastifyRequest, reply: FastifyReply, body: string, type: string, cacheControl: string) {
  const etag = etagOf(body);
  reply.header('etag', etag).header('cache-control', cacheControl);
  const asked = req.headers['if-none-match'];
  if (asked?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}

export async function homeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const trends = new TrendStore();

  defineRoute(app, {
    method: 'GET',
    path: '/api/home',
    summary:
      'Discovery rows for the start page: continue watching, your watchlist now available, ' +
      'because you liked X, popular, new this month, leaving soon. Signed in: your region and ' +
      'services; signed out: the region catalog (?region=). Rows without titles are left out.',
    tags: ['recommendations'],
    query: z.object({ region: RegionParam.optional() }).strict(),
    preHandler: optionalAuth(ctx),
    responses: {
      200: 'HomeView',
      304: 'Not modified (If-None-Match)',
      400: 'Bad region (problem+json)',
      401: 'Invalid token',
    },
    handler: async ({ req, reply, query }) => {
      let viewer: HomeViewer | undefined;
      if (req.auth) {
        // An agent that may not read the person's region and services sees the anonymous home for them.
        const settings = (await callerSettings(ctx, req.auth)) ?? {
          userId: req.auth.userId,
          region: DEFAULT_REGION,
          services: [],
          onboardingPicks: [],
        };
        viewer = {
          userId: req.auth.userId,
          settings,
          canReadWatchlist: req.auth.scopes.includes('watchlist:read'),
          canRecommend: req.auth.scopes.includes('recommendations'),
        };
      }
      const region = query.region ?? viewer?.settings.region ?? DEFAULT_REGION;
      const services = viewer?.settings.services ?? [];
      const view = await buildHome(
        {
          db: ctx.db,
          readCache: ctx.services.readCache,
          trends,
          staleness: ctx.config.catalog.staleness,
          now: ctx.clock.now(),
          sync: () => ctx.services.sync(),
          recommender: () => ctx.services.recommender(),
        },
        { region, platforms: services.length > 0 ? services : null },
        viewer && query.region && query.region !== viewer.settings.region
          ? { ...viewer, settings: { ...viewer.settings, region } }
          : viewer,
      );
      reply.header('vary', 'authorization');
      // A person's rows are theirs: browsers may keep them, shared caches may not.
      return sendTagged(
        req,
        reply,
        JSON.stringify(view),
        'application/json; charset=utf-8',
        viewer ? 'private, no-cache' : 'no-cache',
      );
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/titles/:id/cover.svg',
    summary:
      'A generated cover for any title (SVG, 2:3): its name, year and ' +
      'kind on colours of its genre family. ?w= sets the width in pixels.',
    tags: ['catalog'],
    params: TitleIdParams,
    query: z.object({ w: z.coerce.number().int().min(COVER_MIN_WIDTH).max(COVER_MAX_WIDTH).optional() }).strict(),
    responses: { 200: 'image/svg+xml', 304: 'Not modified', 404: 'No such title (problem+json)' },
    handler: async ({ req, reply, params, query }) => {
      const { rows } = await ctx.db.query<{
        id: string;
        title: string;
        year: number | null;
        kind: 'movie' | 'series';
        genres: string[];
      }>('SELECT id, title, year, kind, genres FROM titles WHERE id = $1', [params.id]);
      const t = rows[0];
      if (!t)
        throw new DomainError('NOT_FOUND', `No title with id ${params.id}.`, { resource: 'title', id: params.id });
      const svg = coverSvg(t, query.w ?? COVER_DEFAULT_WIDTH);
      reply.header('content-security-policy', COVER_CSP);
      return sendTagged(req, reply, svg, 'image/svg+xml; charset=utf-8', COVER_CACHE);
    },
  });
}
