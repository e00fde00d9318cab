import { SCOPES } from '@media-gateway/auth';
import type { ActionRoute } from '@media-gateway/mcp';
import type { RouteDoc } from '../route.ts';

/** Tag of routes whose credential is a secret in the URL (e.g. the leaving-soon iCal feed). */
export const PRIVATE_LINK = 'private-link';

/** Tag of routes only Media Gateway's own apps may call (`requireOwnApp`): not actions an agent can be granted. */
export const OWN_APPS = 'own-apps';

/**
 * Route docs → manifest actions input. A route with a scope is OAuth with that scope. The few
 * routes guarded by `requireUser` (any token, no scope) are tagged `me`; a test checks every
 * action's auth against what the route really does without a token, so this cannot drift silently.
 */
export function manifestRoutes(docs: RouteDoc[]): ActionRoute[] {
  // A private link (the credential is a token in its URL, like a calendar feed) and a route for our own apps only
  // are not actions an agent can be authorised for, so they are left out of the manifest.
  return docs
    .filter((d) => !d.tags.includes(PRIVATE_LINK) && !d.tags.includes(OWN_APPS))
    .map((d) => ({
      method: d.method,
      path: d.path,
      summary: d.summary,
      scope: d.scope,
      needsUser: d.tags.includes('me'),
    }));
}

const DESCRIPTIONS: Record<string, string> = {
  'catalog:read': 'Read the catalog',
  'watchlist:read': 'Read your watchlist and playback progress',
  'watchlist:write': 'Change your watchlist and playback progress',
  devices: 'See your devices and send titles to them',
  recommendations: 'Personal recommendations and the feedback that tunes them',
};

/** Scopes an agent may request (admin is for operators, not agents). */
export function arwScopeDescriptions(): Record<string, string> {
  return Object.fromEntries(SCOPES.filter((s) => s !== 'admin').map((s) => [s, DESCRIPTIONS[s] ?? s]));
}
