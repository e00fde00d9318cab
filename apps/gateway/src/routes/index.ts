import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { healthRoutes } from './health.ts';
import { authRoutes } from './auth.ts';
import { oauthRoutes } from './oauth.ts';
import { openapiRoutes } from './openapi.ts';
import { platformRoutes } from './platforms.ts';
import { settingsRoutes } from './settings.ts';
import { titleRoutes } from './titles.ts';
import { searchRoutes } from './search.ts';
import { eventRoutes } from './events.ts';
import { recommendRoutes } from './recommend.ts';

export type RouteModule = (app: FastifyInstance, ctx: AppContext) => Promise<void>;

/**
 * Every feature's routes, in registration order. A feature adds one line here and keeps its
 * routes in its own file. openapi goes last so it sees every documented route.
 */
export const ROUTE_MODULES: RouteModule[] = [
  healthRoutes,
  oauthRoutes,
  authRoutes,
  platformRoutes,
  titleRoutes,
  searchRoutes,
  settingsRoutes,
  eventRoutes,
  recommendRoutes,
  openapiRoutes,
];
