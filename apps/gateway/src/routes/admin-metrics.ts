import { markStaleRunsInterrupted } from '@media-gateway/catalog';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

/** A device counts as "recently seen" when sync saw it within this many minutes. */
export const DEVICES_SEEN_MINUTES = 15;

/**
 * GET /metrics (Prometheus text format) and GET /api/admin/metrics (the dashboard's JSON tiles).
 * /metrics is unauthenticated like /healthz so a scraper needs no token: it carries only
 * aggregate counts and latencies, no user data (decision 0106).
 */
export async function adminMetricsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/metrics',
    summary:
      'Prometheus metrics: HTTP requests and latency by route and status, catalog titles, offers by platform, users.',
    tags: ['admin'],
    responses: { 200: 'text/plain; version=0.0.4' },
    handler: async ({ reply }) => {
      const { registry } = ctx.services.metrics;
      reply.type(registry.contentType);
      return registry.metrics();
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/admin/metrics',
    summary:
      'Key figures for the dashboard: catalog size, offers by platform, users, ' +
      'devices recently seen, recent request rate and latency (this process).',
    tags: ['admin'],
    scope: 'admin',
    preHandler: requireScope(ctx, 'admin'),
    responses: { 200: '{catalog, users, devices, requests, ingestion}', 401: 'no token', 403: 'no admin scope' },
    handler: async () => {
      // A run whose process died (kill -9) is not "running": its heartbeat stopped.
      await markStaleRunsInterrupted(ctx.db);
      const [titles, offers, users, devices, runs] = await Promise.all([
        ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles'),
        ctx.db.query<{ platform: string; n: number; titles: number }>(
          'SELECT platform, count(*)::int AS n, count(DISTINCT title_id)::int AS titles FROM offers ' +
            'GROUP BY platform ORDER BY count(*) DESC, platform',
        ),
        ctx.db.query<{ total: number; admins: number }>(
          'SELECT count(*)::int AS total, count(*) FILTER (WHERE is_admin)::int AS admins ' +
            'FROM users WHERE deleted_at IS NULL',
        ),
        ctx.db.query<{ n: number; users: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM sync_device_seen
           WHERE last_seen > now() - ($1 || ' minutes')::interval`,
          [String(DEVICES_SEEN_MINUTES)],
        ),
        ctx.db.query<{ running: number; failed: number }>(
          `SELECT count(*) FILTER (WHERE status = 'running')::int AS running,
                  count(*) FILTER (WHERE status = 'failed' AND started_at > now() - interval '1 day')::int AS failed
           FROM ingest_runs`,
        ),
      ]);
      const byPlatform = offers.rows.map((r) => ({ platform: r.platform, offers: r.n, titles: r.titles }));
      const u = users.rows[0];
      const d = devices.rows[0];
      const r = runs.rows[0];
      if (!u || !d || !r) throw new DomainError('UPSTREAM_UNAVAILABLE', 'The database returned no aggregate row.');
      return {
        catalog: {
          titles: titles.rows[0]?.n ?? 0,
          offers: byPlatform.reduce((n, p) => n + p.offers, 0),
          offersByPlatform: byPlatform,
        },
        users: { total: u.total, admins: u.admins },
        // Presence lives in each process's memory (and Redis); sync records when each device was last connected.
        devices: { seenRecently: d.n, usersWithDevices: d.users, withinMinutes: DEVICES_SEEN_MINUTES },
        requests: ctx.services.metrics.recent(),
        ingestion: { running: r.running, failedLastDay: r.failed },
      };
    },
  });
}
