import { SAMPLE_AS_OF, SAMPLE_SOURCE } from '@media-gateway/catalog';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

interface SourceRow {
  source: string;
  offers: number;
  titles: number;
  last_seen: Date | null;
}

/**
 * GET /api/catalog/summary: how big the catalog is and where its availability comes from. The web
 * app needs it to be honest: "no catalog yet" on an empty server, and a sample-data banner with the
 * sample's as-of date when offers come from the bundled sample (source `sample`).
 */
export async function catalogSummaryRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/catalog/summary',
    summary:
      'Catalog size and the sources of its offers; `sample` is set ' +
      'when the bundled sample catalog is in use (with its as-of date).',
    tags: ['catalog'],
    responses: { 200: '{titles, offers, sources[], sample: {asOf, offers, titles, onlySource} | null}' },
    handler: async () => {
      const [titles, sources] = await Promise.all([
        ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles'),
        ctx.db.query<SourceRow>(
          `SELECT source, count(*)::int AS offers, count(DISTINCT title_id)::int AS titles, max(last_seen) AS last_seen
           FROM offers GROUP BY source ORDER BY count(*) DESC`,
        ),
      ]);
      const list = sources.rows.map((r) => ({
        source: r.source,
        offers: r.offers,
        titles: r.titles,
        lastSeen: r.last_seen ? new Date(r.last_seen).toISOString() : null,
      }));
      const sample = list.find((s) => s.source === SAMPLE_SOURCE);
      return {
        titles: titles.rows[0]?.n ?? 0,
        offers: list.reduce((n, s) => n + s.offers, 0),
        sources: list,
        // Only the sample's own offers carry its as-of date; a mixed catalog says how much is sample.
        sample: sample
          ? { asOf: SAMPLE_AS_OF, offers: sample.offers, titles: sample.titles, onlySource: list.length === 1 }
          : null,
      };
    },
  });
}
