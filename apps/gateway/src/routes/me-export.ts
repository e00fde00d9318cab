import type { FastifyInstance } from 'fastify';
import { requireOwnApp } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { exportPerson } from '../privacy/person-data.ts';
import { OWN_APPS } from './arw-routes-table.ts';
import { defineRoute } from '../route.ts';

export async function meExportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/me/export',
    summary:
      'Everything held about you, in one JSON document (docs/privacy/export.schema.json): ' +
      'account, linked identities, settings, watchlist, progress, devices, ' +
      'feedback, recommendation profile, grants, sessions and audit entries.',
    tags: ['me', OWN_APPS],
    preHandler: requireOwnApp(ctx),
    responses: { 200: 'The export', 401: 'No token', 403: 'Not one of our own apps' },
    handler: async ({ req, reply }) => {
      const claims = req.auth!;
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', 'attachment; filename="media-gateway-export.json"');
      return exportPerson(ctx, claims.userId);
    },
  });
}
