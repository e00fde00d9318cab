import { getUserSettings, updateUserSettings } from '@media-gateway/catalog';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireOwnApp } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { OWN_APPS } from './arw-routes-table.ts';
import { defineRoute } from '../route.ts';

const SettingsBody = z
  .object({
    region: z
      .string()
      .transform((s) => s.toUpperCase())
      .optional(),
    services: z.array(z.string().max(40)).max(20).optional(),
    onboardingPicks: z.array(z.string().max(40)).max(50).optional(),
  })
  .strict();

export async function settingsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/me/settings',
    summary: 'Your region, services and onboarding picks (our own apps, or a token with "recommendations").',
    tags: ['me'],
    // An agent granted "recommendations" may read where you watch, to suggest what you can; changing it is ours only.
    scope: 'recommendations',
    preHandler: requireOwnApp(ctx, 'recommendations'),
    handler: async ({ req }) => getUserSettings(ctx.db, req.auth!.userId),
  });
  defineRoute(app, {
    method: 'PUT',
    path: '/api/me/settings',
    summary: "Change your region, services (platform ids) or onboarding picks (Media Gateway's own apps only).",
    tags: ['me', OWN_APPS],
    body: SettingsBody,
    preHandler: requireOwnApp(ctx),
    handler: async ({ req, body }) => updateUserSettings(ctx.db, req.auth!.userId, body),
  });
}
