import { audit } from '@media-gateway/auth';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireScope, requireUser } from '../auth-guard.ts';
import { accountPage, deviceConfirmPage, deviceEntryPage, loginPage, messagePage } from '../auth/pages.ts';
import {
  checkCsrf,
  clientIp,
  cookieOptions,
  currentSession,
  ensureCookies,
  LOGIN_CSRF_COOKIE,
  safeReturnTo,
  SESSION_COOKIE,
  sameToken,
  loginCsrf,
} from '../auth/web-session.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { accountRoutes, DELETE_CONFIRMATION } from './auth-account.ts';

/** RFC 5321 caps an address at 254 characters; a password longer than this is not a password. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 1024;

const field = (body: unknown, name: string): string | undefined => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
};

const html = (reply: FastifyReply, status: number, page: string) =>
  reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .send(page);

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await ensureCookies(app);
  const auth = await ctx.services.auth();
  const secure = ctx.config.publicUrl.startsWith('https:');
  const hasOidc = auth.upstream !== undefined;

  async function startSession(req: FastifyRequest, reply: FastifyReply, userId: string) {
    const { id, session } = await auth.sessions.create(userId, req.headers['user-agent']);
    reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(secure), expires: session.expiresAt });
  }

  /** Pages that need a signed-in person send others to the sign-in page and back. */
  async function sessionOrLogin(req: FastifyRequest, reply: FastifyReply) {
    const session = await currentSession(auth, req);
    if (!session) reply.redirect(`/auth/login?return_to=${encodeURIComponent(safeReturnTo(req.url))}`, 303);
    return session;
  }

  app.get('/auth/login', async (req, reply) => {
    const returnTo = safeReturnTo((req.query as Record<string, unknown>)['return_to']);
    return html(
      reply,
      200,
      loginPage({ csrf: loginCsrf(req, reply, secure), returnTo, localAccounts: auth.localAccounts, oidc: hasOidc }),
    );
  });

  app.post('/auth/login', async (req, reply) => {
    const returnTo = safeReturnTo(field(req.body, 'return_to'));
    if (!auth.localAccounts)
      throw new DomainError('FORBIDDEN', 'Local accounts are disabled on this server (MG_LOCAL_ACCOUNTS=off).');
    // Login CSRF: the form's token must equal the cookie set when the form was served.
    if (!sameToken(req.cookies[LOGIN_CSRF_COOKIE], field(req.body, 'csrf'))) {
      throw new DomainError(
        'FORBIDDEN',
        'The sign-in form expired or came from another site. Reload it and try again.',
        { reason: 'csrf' },
      );
    }
    const email = field(req.body, 'email')?.trim().toLowerCase() ?? '';
    const password = field(req.body, 'password') ?? '';
    if (email.length > MAX_EMAIL_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      const error = 'That email address or password is too long.';
      const page = loginPage({
        csrf: loginCsrf(req, reply, secure),
        returnTo,
        error,
        localAccounts: true,
        oidc: hasOidc,
      });
      return html(reply, 400, page);
    }
    const wait = await auth.limiters.login.hit([`ip:${clientIp(req)}`, `email:${email}`]);
    if (wait)
      throw new DomainError('RATE_LIMITED', `Too many sign-in attempts; try again in ${wait} s.`, {
        retryAfterSeconds: wait,
      });
    const user = email && password ? await auth.users.verifyPassword(email, password) : undefined;
    if (!user) {
      await audit(ctx.db, 'signin.password_failed', { ip: clientIp(req), details: { email } });
      return html(
        reply,
        401,
        loginPage({
          csrf: loginCsrf(req, reply, secure),
          returnTo,
          error: 'Wrong email or password.',
          localAccounts: true,
          oidc: hasOidc,
        }),
      );
    }
    await startSession(req, reply, user.id);
    await audit(ctx.db, 'signin.password', { userId: user.id, ip: clientIp(req) });
    return reply.redirect(returnTo, 303);
  });

  app.post('/auth/logout', async (req, reply) => {
    const session = await currentSession(auth, req);
    if (session) {
      checkCsrf(session.csrfToken, req.body);
      await auth.sessions.revoke(session.id);
      await audit(ctx.db, 'signout', { userId: session.userId, ip: clientIp(req) });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/auth/login', 303);
  });

  app.post('/auth/logout-everywhere', async (req, reply) => {
    const session = await currentSession(auth, req);
    if (!session) throw new DomainError('UNAUTHENTICATED', 'You are not signed in.');
    checkCsrf(session.csrfToken, req.body);
    await auth.signOutEverywhere(session.userId);
    await audit(ctx.db, 'signout.everywhere', { userId: session.userId, ip: clientIp(req) });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/auth/login', 303);
  });

  app.get('/auth/account', async (req, reply) => {
    const session = await sessionOrLogin(req, reply);
    if (!session) return reply;
    const user = await auth.users.get(session.userId);
    if (!user) return reply.redirect('/auth/login', 303);
    return html(
      reply,
      200,
      accountPage({
        csrf: session.csrfToken,
        ...user,
        userId: user.id,
        oidc: hasOidc,
        localAccounts: auth.localAccounts,
        deleteConfirmation: DELETE_CONFIRMATION,
      }),
    );
  });

  // Device verification (RFC 8628 §3.3). A visit with ?user_code= only fills in the confirmation page.
  app.get('/device', async (req, reply) => {
    const session = await sessionOrLogin(req, reply);
    if (!session) return reply;
    const code = (req.query as Record<string, unknown>)['user_code'];
    if (typeof code === 'string' && code) return showDevice(req, reply, session, code);
    return html(reply, 200, deviceEntryPage({ csrf: session.csrfToken }));
  });

  app.post('/device', async (req, reply) => {
    const session = await sessionOrLogin(req, reply);
    if (!session) return reply;
    checkCsrf(session.csrfToken, req.body);
    return showDevice(req, reply, session, field(req.body, 'user_code') ?? '');
  });

  async function showDevice(
    req: FastifyRequest,
    reply: FastifyReply,
    session: { id: string; csrfToken: string },
    userCode: string,
  ) {
    // Guessing codes is the attack (RFC 8628 §5.1): budget per IP and per session.
    const wait = await auth.limiters.userCode.hit([`ip:${clientIp(req)}`, `session:${session.id}`]);
    if (wait) {
      reply.header('retry-after', String(wait));
      return html(
        reply,
        429,
        deviceEntryPage({ csrf: session.csrfToken, error: `Too many attempts; try again in ${wait} s.` }),
      );
    }
    const pending = await auth.devices.lookup(userCode);
    if (!pending)
      return html(
        reply,
        400,
        deviceEntryPage({
          csrf: session.csrfToken,
          userCode,
          error: 'That code is not valid or has expired. Check the code on your device.',
        }),
      );
    const client = await auth.clients.get(pending.clientId);
    return html(
      reply,
      200,
      deviceConfirmPage({
        csrf: session.csrfToken,
        userCode: pending.userCode,
        clientName: client?.name ?? pending.clientId,
        scopes: pending.scopes,
      }),
    );
  }

  app.post('/device/decision', async (req, reply) => {
    const session = await sessionOrLogin(req, reply);
    if (!session) return reply;
    checkCsrf(session.csrfToken, req.body);
    const decision = field(req.body, 'decision');
    if (decision !== 'approve' && decision !== 'deny')
      throw new DomainError('INVALID_INPUT', 'decision must be approve or deny.');
    const user = await auth.users.get(session.userId);
    const done = await auth.devices.decide({
      userCode: field(req.body, 'user_code') ?? '',
      userId: session.userId,
      isAdmin: user?.isAdmin ?? false,
      approve: decision === 'approve',
      ip: clientIp(req),
    });
    if (!done)
      return html(
        reply,
        400,
        deviceEntryPage({ csrf: session.csrfToken, error: 'That code is not valid or has expired.' }),
      );
    return html(
      reply,
      200,
      decision === 'approve'
        ? messagePage('Device connected', 'You can return to your device; it will finish signing in by itself.')
        : messagePage('Request denied', 'The device was not connected.'),
    );
  });

  app.get('/auth/oidc/start', async (req, reply) => {
    if (!auth.upstream)
      throw new DomainError('NOT_FOUND', 'No upstream identity provider is configured (MG_OIDC_ISSUER).');
    const q = req.query as Record<string, unknown>;
    const session = q['link'] ? await currentSession(auth, req) : undefined;
    if (q['link'] && !session) throw new DomainError('UNAUTHENTICATED', 'Sign in first to link another account.');
    const url = await auth.upstream.start({ returnTo: safeReturnTo(q['return_to']), linkUserId: session?.userId });
    return reply.redirect(url, 303);
  });

  app.get('/auth/oidc/callback', async (req, reply) => {
    if (!auth.upstream)
      throw new DomainError('NOT_FOUND', 'No upstream identity provider is configured (MG_OIDC_ISSUER).');
    const result = await auth.upstream.finish(new URL(req.url, ctx.config.publicUrl));
    const { user } = await auth.users.signInWithIdentity({
      provider: auth.upstream.issuer,
      subject: result.subject,
      email: result.email,
      name: result.name,
      linkTo: result.linkUserId ?? undefined,
    });
    if (!result.linkUserId) await startSession(req, reply, user.id);
    await audit(ctx.db, 'signin.oidc', {
      userId: user.id,
      ip: clientIp(req),
      details: { provider: auth.upstream.issuer },
    });
    return reply.redirect(result.returnTo, 303);
  });

  defineRoute(app, {
    method: 'GET',
    path: '/auth/userinfo',
    summary: 'Who the access token acts for: user, client and scopes.',
    tags: ['auth'],
    preHandler: requireUser(ctx),
    handler: async ({ req }) => {
      const user = await auth.users.get(req.auth!.userId);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists.');
      return {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        isAdmin: user.isAdmin,
        identities: user.identities.map((i) => i.provider),
        clientId: req.auth!.clientId,
        scopes: req.auth!.scopes,
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/auth/users',
    summary: 'Create a local account (administrators).',
    tags: ['auth'],
    scope: 'admin',
    body: z
      .object({
        email: z.string().max(200),
        password: z.string().max(200),
        displayName: z.string().max(100).optional(),
        admin: z.boolean().optional(),
      })
      .strict(),
    responses: { 201: 'Created', 409: 'Email taken' },
    preHandler: requireScope(ctx, 'admin'),
    handler: async ({ body, reply }) => {
      if (!auth.localAccounts)
        throw new DomainError('FORBIDDEN', 'Local accounts are disabled on this server (MG_LOCAL_ACCOUNTS=off).');
      const user = await auth.users.createLocalUser({
        email: body.email,
        password: body.password,
        displayName: body.displayName,
        isAdmin: body.admin ?? false,
      });
      reply.status(201);
      return { id: user.id, email: user.email, isAdmin: user.isAdmin };
    },
  });

  await accountRoutes(app, ctx, auth);
}
