import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { healthRoutes } from './health.ts';
import { authRoutes } from './auth.ts';
import { oauthRoutes } from './oauth.ts';
import { openapiRoutes } from './openapi.ts';
import { platformRoutes } from './platforms.ts';
import { meExportRoutes } from './me-export.ts';
import { meImportRoutes } from './me-imports.ts';
import { settingsRoutes } from './settings.ts';
import { alertRoutes } from './alerts.ts';
import { notificationRoutes } from './notifications.ts';
import { titleRoutes } from './titles.ts';
import { searchRoutes } from './search.ts';
import { eventRoutes } from './events.ts';
import { recommendRoutes } from './recommend.ts';
import { homeRoutes } from './home.ts';
import { imageRoutes } from './images.ts';
import { deviceRoutes } from './devices.ts';
import { syncRoutes } from './sync.ts';
import { watchlistRoutes } from './watchlist.ts';
import { webRoutes } from './web-static.ts';
import { adminIngestionRoutes } from './admin-ingestion.ts';
import { adminUploadRoutes } from './admin-upload.ts';
import { adminRunProblemsRoutes } from './admin-run-problems.ts';
import { adminResolutionRoutes } from './admin-resolution.ts';
import { adminUsersRoutes } from './admin-users.ts';
import { adminMetricsRoutes } from './admin-metrics.ts';
import { mcpRoutes } from './mcp.ts';
import { arwRoutes } from './arw.ts';
import { wellKnownResourceRoutes } from './well-known-resource.ts';

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
  alertRoutes,
  notificationRoutes,
  meExportRoutes,
  meImportRoutes,
  syncRoutes,
  watchlistRoutes,
  deviceRoutes,
  eventRoutes,
  recommendRoutes,
  homeRoutes,
  imageRoutes,
  adminIngestionRoutes,
  adminUploadRoutes,
  adminRunProblemsRoutes,
  adminResolutionRoutes,
  adminUsersRoutes,
  adminMetricsRoutes,
  wellKnownResourceRoutes,
  mcpRoutes,
  arwRoutes,
  // The web app's catch-all for non-API GETs (SPA fallback); specific routes above always win.
  webRoutes,
  openapiRoutes,
];
