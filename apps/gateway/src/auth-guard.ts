import type { AccessTokenClaims, Scope } from '@media-gateway/auth';
import { getUserSettings, type UserSettings } from '@media-gateway/catalog';
import { DomainError } from '@media-gateway/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireScope`/`optionalAuth`: the verified token. User ids come only from here. */
    auth?: AccessTokenClaims;
  }
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match?.[1])
    throw new DomainError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', {
      reason: 'malformed_header',
    });
  return match[1];
}

/** preHandler: 401 without a valid token, 403 when the token lacks the scope. */
export function requireScope(ctx: AppContext, scope: Scope) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearer(req);
    if (!token) {
      reply.header('www-authenticate', `Bearer realm="media-gateway", scope="${scope}"`);
      throw new DomainError('UNAUTHENTICATED', `Sign in first: this needs an access token with the "${scope}" scope.`, {
        reason: 'missing_token',
      });
    }
    let claims: AccessTokenClaims;
    try {
      claims = await ctx.tokens.verifyAccessToken(token);
    } catch (error) {
      reply.header('www-authenticate', `Bearer realm="media-gateway", error="invalid_token", scope="${scope}"`);
      throw error;
    }
    if (!claims.scopes.includes(scope)) {
      reply.header('www-authenticate', `Bearer realm="media-gateway", error="insufficient_scope", scope="${scope}"`);
      throw new DomainError('FORBIDDEN', `This token lacks the "${scope}" scope.`, { scope });
    }
    req.auth = claims;
  };
}

/** preHandler for routes that work anonymously but personalise with a token when one is sent. */
export function optionalAuth(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const token = bearer(req);
    if (token) req.auth = await ctx.tokens.verifyAccessToken(token);
  };
}

/** preHandler: any valid access token (for the person's own settings); 401 otherwise. */
export function requireUser(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearer(req);
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="media-gateway"');
      throw new DomainError('UNAUTHENTICATED', 'Sign in first: this needs an access token.', {
        reason: 'missing_token',
      });
    }
    try {
      req.auth = await ctx.tokens.verifyAccessToken(token);
    } catch (error) {
      reply.header('www-authenticate', 'Bearer realm="media-gateway", error="invalid_token"');
      throw error;
    }
  };
}

/**
 * preHandler for a person's own account (settings, alerts, notifications, push subscriptions, export): a token from
 * one of Media Gateway's own apps (web, TV, CLI). A client the person registered for an agent was granted scopes
 * such as "See the catalog", none of which covers changing where alerts go or minting a calendar link, so it gets
 * 403 unless the route names a scope that does (`orScope`, e.g. reading the region for recommendations).
 */
export function requireOwnApp(ctx: AppContext, orScope?: Scope) {
  const signedIn = requireUser(ctx);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await signedIn(req, reply);
    const claims = req.auth!;
    if (orScope && claims.scopes.includes(orScope)) return;
    if (await isOwnApp(ctx, claims.clientId)) return;
    throw new DomainError(
      'FORBIDDEN',
      `Only Media Gateway's own apps (web, TV, CLI) may do this${orScope ? `, or a token with the "${orScope}" scope` : ''}.`,
      { reason: 'third_party_client' },
    );
  };
}

/**
 * Client ids known to be our own apps. Only the seeded web, TV and CLI clients are first-party and that never
 * changes while the server runs, so a yes is remembered: the notifications poll and every settings read would
 * otherwise read the client's row each time. A no (an agent's client) is read again.
 */
const OWN_APPS = new Set<string>();

/** Whether a token's client is one of Media Gateway's own apps (web, TV, CLI). */
export async function isOwnApp(ctx: AppContext, clientId: string): Promise<boolean> {
  if (OWN_APPS.has(clientId)) return true;
  const client = await (await ctx.services.auth()).clients.get(clientId);
  if (client?.firstParty) OWN_APPS.add(clientId);
  return client?.firstParty ?? false;
}

/**
 * The caller's region and services, for answers that personalise with them (search, home, similar titles), when the
 * token may read them: one of our own apps, or a token with the `recommendations` scope, as for GET /api/me/settings
 * (decision 0129). An agent granted only "See the catalog" gets the anonymous answer, which does not echo them.
 */
export async function callerSettings(
  ctx: AppContext,
  claims: AccessTokenClaims | undefined,
): Promise<UserSettings | undefined> {
  if (!claims) return undefined;
  if (!claims.scopes.includes('recommendations') && !(await isOwnApp(ctx, claims.clientId))) return undefined;
  return getUserSettings(ctx.db, claims.userId);
}
