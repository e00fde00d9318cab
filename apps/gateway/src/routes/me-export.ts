import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { exportPerson } from '../privacy/person-data.ts';
import { defineRoute } from '../route.ts';

export async function meExportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/me/export',
    summary:
      'Everything held about you, in one JSON document (docs/privacy/export.schema.json): ' +
      'account, linked identities, settings, watchlist, progress, devices, ' +
      'feedback, recommendation profile, grants, sessions and audit entries.',
    tags: ['me'],
    preHandler: requireUser(ctx),
    responses: { 200: 'The export', 401: 'No token', 403: 'Not one of our own apps' },
    handler: async ({ req, reply }) => {
      const claims = req.auth!;
      // The whole record of a person is for the person, through our own apps, not for an agent
      // that was granted one scope.
      const client = await (await ctx.services.auth()).clients.get(claims.clientId);
      if (!client?.firstParty)
        throw new DomainError('FORBIDDEN', "Only Media Gateway's own apps (web, CLI) may export your data.", {
          reason: 'third_party_client',
        });
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', 'attachment; filename="media-gateway-export.json"');
      return exportPerson(ctx, claims.userId);
    },
  });
}
