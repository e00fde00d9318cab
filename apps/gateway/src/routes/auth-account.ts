import type { AuthServer } from '@media-gateway/auth';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientIp, cookieOptions, currentSession, SESSION_COOKIE, sameToken } from '../auth/web-session.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { erasePersonData } from '../privacy/person-data.ts';

/** Typed into the delete form by people whose account has no password (upstream sign-in only). */
export const DELETE_CONFIRMATION = 'delete my account';

type Actor =
  | { via: 'bearer'; userId: string; clientId: string }
  | { via: 'session'; userId: string; sessionId: string };

/**
 * Password change and account deletion for people (decision 0037). Two ways in:
 * - a bearer access token from one of our own apps (web, CLI, TV): dynamically registered
 *   clients (MCP agents) never get to change credentials or delete accounts, whatever their scopes;
 * - the browser session cookie plus its CSRF token (form field `csrf` or header `x-csrf-token`).
 * Both need the current password again when the account has one: a stolen token alone is not enough.
 */
export async function accountRoutes(app: FastifyInstance, ctx: AppContext, auth: AuthServer): Promise<void> {
  const secure = ctx.config.publicUrl.startsWith('https:');

  async function actor(req: FastifyRequest, reply: FastifyReply, csrf: string | undefined): Promise<Actor> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
      if (!m?.[1])
        throw new DomainError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', {
          reason: 'malformed_header',
        });
      let claims: Awaited<ReturnType<typeof ctx.tokens.verifyAccessToken>>;
      try {
        claims = await ctx.tokens.verifyAccessToken(m[1]);
      } catch (error) {
        reply.header('www-authenticate', 'Bearer realm="media-gateway", error="invalid_token"');
        throw error;
      }
      const client = await auth.clients.get(claims.clientId);
      if (!client?.firstParty) {
        throw new DomainError(
          'FORBIDDEN',
          "Only Media Gateway's own apps may change passwords or delete accounts; use the web account page.",
          { reason: 'third_party_client' },
        );
      }
      return { via: 'bearer', userId: claims.userId, clientId: claims.clientId };
    }
    const session = await currentSession(auth, req);
    if (!session) {
      reply.header('www-authenticate', 'Bearer realm="media-gateway"');
      throw new DomainError('UNAUTHENTICATED', 'Sign in first: send an access token or the session cookie.', {
        reason: 'missing_token',
      });
    }
    const sent = csrf ?? (typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined);
    if (!sameToken(session.csrfToken, sent)) {
      throw new DomainError(
        'FORBIDDEN',
        'The form expired or came from another site (CSRF check failed). Reload the page and try again.',
        { reason: 'csrf' },
      );
    }
    return { via: 'session', userId: session.userId, sessionId: session.id };
  }

  /** Guessing the current password with a stolen token or session is throttled like sign-in. */
  async function throttle(req: FastifyRequest, userId: string): Promise<void> {
    const wait = await auth.limiters.login.hit([`ip:${clientIp(req)}`, `user:${userId}`]);
    if (wait)
      throw new DomainError('RATE_LIMITED', `Too many attempts; try again in ${wait} s.`, { retryAfterSeconds: wait });
  }

  /** Browsers posting the account page's forms get redirects; API clients get 204. */
  const isForm = (req: FastifyRequest) =>
    (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

  defineRoute(app, {
    method: 'POST',
    path: '/auth/password',
    summary: 'Change your password (or set one). Ends every session and token family, on every device.',
    tags: ['auth'],
    body: z
      .object({
        current_password: z.string().max(200).optional(),
        new_password: z.string().max(200),
        csrf: z.string().max(200).optional(),
      })
      .strict(),
    responses: {
      204: 'Changed; every sign-in, this one included, is revoked',
      303: 'Changed (form); a new session for this browser',
      400: 'Invalid new password',
      401: 'Not signed in',
      403: 'Wrong current password, CSRF, or not our own app',
      429: 'Too many attempts',
    },
    handler: async ({ body, req, reply }) => {
      if (!auth.localAccounts)
        throw new DomainError('FORBIDDEN', 'Local accounts are disabled on this server (MG_LOCAL_ACCOUNTS=off).');
      const who = await actor(req, reply, body.csrf);
      const user = await auth.users.get(who.userId);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists.');
      if (user.hasPassword && !body.current_password) {
        throw new DomainError('INVALID_INPUT', 'current_password is required to change the password.', {
          field: 'current_password',
        });
      }
      await throttle(req, user.id);
      await auth.users.changePassword(user.id, body.current_password ?? '', body.new_password);
      if (who.via === 'session' && isForm(req)) {
        // Every session ended, this one too; the person who just proved the password keeps a fresh one.
        const { id, session } = await auth.sessions.create(user.id, req.headers['user-agent']);
        reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(secure), expires: session.expiresAt });
        return reply.redirect('/auth/account', 303);
      }
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/auth/account/delete',
    summary: 'Delete your account: ends every sign-in and removes your identities and email.',
    tags: ['auth'],
    body: z
      .object({
        password: z.string().max(200).optional(),
        confirm: z.string().max(100).optional(),
        csrf: z.string().max(200).optional(),
      })
      .strict(),
    responses: {
      204: 'Deleted',
      303: 'Deleted (form)',
      400: 'Missing password or confirmation',
      401: 'Not signed in',
      403: 'Wrong password, CSRF, or not our own app',
      409: 'Last administrator',
      429: 'Too many attempts',
    },
    handler: async ({ body, req, reply }) => {
      const who = await actor(req, reply, body.csrf);
      const user = await auth.users.get(who.userId);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists.');
      if (user.hasPassword) {
        if (!body.password)
          throw new DomainError('INVALID_INPUT', 'Enter your password to delete the account.', { field: 'password' });
        await throttle(req, user.id);
        if (!(await auth.users.checkPassword(user.id, body.password))) {
          throw new DomainError('FORBIDDEN', 'The password is wrong.', { field: 'password', reason: 'wrong_password' });
        }
      } else if (body.confirm?.trim().toLowerCase() !== DELETE_CONFIRMATION) {
        throw new DomainError('INVALID_INPUT', `Type "${DELETE_CONFIRMATION}" to confirm.`, { field: 'confirm' });
      }
      if (user.isAdmin && (await auth.users.isLastAdmin(user.id))) {
        throw new DomainError(
          'CONFLICT',
          'You are the only administrator; make someone else an administrator before deleting this account.',
          { reason: 'last_admin' },
        );
      }
      await auth.users.deleteUser(user.id);
      await erasePersonData(ctx, user.id, user.email ?? null);
      if (isForm(req)) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/auth/login', 303);
      }
      return reply.status(204).send();
    },
  });
}
