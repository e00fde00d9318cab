import { PLATFORMS } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

export async function platformRoutes(app: FastifyInstance, _ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/platforms',
    summary: 'The platform registry: ids, names, aliases, homepages and regions.',
    tags: ['catalog'],
    handler: async () => ({
      platforms: PLATFORMS.map((p) => ({
        id: p.id,
        name: p.name,
        aliases: p.aliases,
        homepage: p.homepage,
        regions: p.regions,
      })),
    }),
  });
}
