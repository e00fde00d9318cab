import {
  getUserSettings,
  loadOffers,
  SAMPLE_DATA,
  SAMPLE_SOURCE,
  TITLE_COLUMNS,
  type TitleRow,
  toSummary,
} from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { DEVICE_NAMES, MOOD_NAMES, screenOf } from '@media-gateway/recommend';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { callerSettings, optionalAuth, requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { startedOrWatchedTitles } from '../home/person-rows.ts';
import { defineRoute } from '../route.ts';
import { TitleIdParams } from './titles.ts';

const RecommendQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    mood: z.enum(MOOD_NAMES as [string, ...string[]]).optional(),
    device: z.enum(DEVICE_NAMES).transform(screenOf).optional(),
    /**
     * The person's local hour (0–23) for time-of-day re-ranking. Only the client knows it: the
     * server's own hour is in the server's time zone, so without this there is no hour nudge.
     */
    hour: z.coerce.number().int().min(0).max(23).optional(),
  })
  .strict();

async function summaries(db: Db, ids: string[]) {
  const { rows } = await db.query<TitleRow>(`SELECT ${TITLE_COLUMNS} FROM titles t WHERE t.id = ANY($1)`, [ids]);
  return new Map(rows.map((r) => [r.id, toSummary(r)]));
}

/** `{ sampleData }` when any of these titles is offered by the bundled sample: say so, with its date. */
async function sampleMarker(db: Db, ids: string[]): Promise<{ sampleData?: typeof SAMPLE_DATA }> {
  if (ids.length === 0) return {};
  const { rows } = await db.query('SELECT 1 FROM offers WHERE title_id = ANY($1) AND source = $2 LIMIT 1', [
    ids,
    SAMPLE_SOURCE,
  ]);
  return rows.length > 0 ? { sampleData: SAMPLE_DATA } : {};
}

export async function recommendRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/recommendations',
    summary: 'Your recommendations: only titles on your services in your region, each with why it is there.',
    tags: ['recommendations'],
    scope: 'recommendations',
    query: RecommendQuery,
    preHandler: requireScope(ctx, 'recommendations'),
    responses: {
      200: 'Ranked titles with why',
      400: 'Bad parameter (problem+json)',
      401: 'No token',
      403: 'Missing scope',
    },
    handler: async ({ req, query }) => {
      const userId = req.auth!.userId;
      const settings = await getUserSettings(ctx.db, userId);
      const recs = await ctx.services.recommender().recommend(userId, settings, {
        limit: query.limit,
        context: { mood: query.mood as never, device: query.device, hour: query.hour },
        exclude: await startedOrWatchedTitles(await ctx.services.sync(), userId),
      });
      const ids = recs.map((r) => r.titleId);
      const [byId, offers] = await Promise.all([
        summaries(ctx.db, ids),
        loadOffers(ctx.db, ids, settings.region, ctx.clock.now(), ctx.config.catalog.staleness),
      ]);
      return {
        region: settings.region,
        services: settings.services,
        context: { mood: query.mood ?? null, device: query.device ?? null, hour: query.hour ?? null },
        items: recs.flatMap((r) => {
          const t = byId.get(r.titleId);
          // The offers behind `platforms`, each with when its source saw it (decision 0072).
          const on = (offers.get(r.titleId) ?? []).filter((o) => r.platforms.includes(o.platform));
          return t ? [{ ...t, why: r.why, reason: r.reason, platforms: r.platforms, offers: on, score: r.score }] : [];
        }),
        ...(await sampleMarker(
          ctx.db,
          recs.map((r) => r.titleId),
        )),
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/titles/:id/similar',
    summary: 'Titles similar to this one (content and co-watching); with a token, only what you can watch.',
    tags: ['recommendations'],
    params: TitleIdParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict(),
    preHandler: optionalAuth(ctx),
    responses: { 200: 'Similar titles with why', 404: 'No such title (problem+json)' },
    handler: async ({ req, params, query }) => {
      const audience = await callerSettings(ctx, req.auth);
      const similar = await ctx.services.recommender().similar(params.id, { limit: query.limit, audience });
      const byId = await summaries(
        ctx.db,
        similar.map((s) => s.titleId),
      );
      return {
        titleId: params.id,
        filteredTo: audience ? { region: audience.region, services: audience.services } : null,
        items: similar.flatMap((s) => {
          const t = byId.get(s.titleId);
          return t ? [{ ...t, why: s.why, sharedGenres: s.sharedGenres, score: s.score }] : [];
        }),
        ...(await sampleMarker(
          ctx.db,
          similar.map((s) => s.titleId),
        )),
      };
    },
  });
}
