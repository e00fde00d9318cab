import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { erasePersonData } from '../privacy/person-data.ts';
import { defineRoute } from '../route.ts';

const UsersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    q: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

interface UserRow {
  id: string;
  email: string | null;
  display_name: string | null;
  is_admin: boolean;
  has_password: boolean;
  created_at: Date;
  identities: number;
  last_sign_in: Date | null;
  total: number;
}

/**
 * Audit events that mean "this person signed in": an interactive sign-in (password or upstream
 * OIDC) or a new grant to a client (code exchange, device approval). Token rotation is not a
 * sign-in; failed attempts are not either.
 */
export const SIGN_IN_EVENTS = ['signin.password', 'signin.oidc', 'token.issued', 'device.approved'];

/**
 * GET /api/admin/users: accounts for the dashboard, read straight from the auth tables (migration
 * 0011) without touching the auth package. Secrets never leave: only whether a password is set.
 */
export async function adminUsersRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/admin/users',
    summary:
      'Accounts (not deleted), oldest first: email, display name, ' +
      'admin flag, linked identities, created, last sign-in.',
    tags: ['admin'],
    scope: 'admin',
    query: UsersQuery,
    preHandler: requireScope(ctx, 'admin'),
    responses: { 200: '{total, users[]}', 400: 'bad parameter', 401: 'no token', 403: 'no admin scope' },
    handler: async ({ query }) => {
      const like = query.q ? `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const rows = await ctx.db.query<UserRow>(
        `SELECT u.id, u.email, u.display_name, u.is_admin, (u.password_hash IS NOT NULL) AS has_password, u.created_at,
                (SELECT count(*)::int FROM user_identities i WHERE i.user_id = u.id) AS identities,
                (SELECT max(a.at) FROM audit_log a WHERE a.user_id = u.id
                  AND a.event = ANY($4::text[])) AS last_sign_in,
                count(*) OVER ()::int AS total
         FROM users u
         WHERE u.deleted_at IS NULL
           AND ($3::text IS NULL OR lower(coalesce(u.email, '')) LIKE $3 OR lower(coalesce(u.display_name, '')) LIKE $3)
         ORDER BY u.created_at, u.id
         LIMIT $1 OFFSET $2`,
        [query.limit, query.offset, like, SIGN_IN_EVENTS],
      );
      return {
        total: rows.rows[0]?.total ?? (query.offset > 0 ? await countUsers(ctx, like) : 0),
        users: rows.rows.map((r) => ({
          id: r.id,
          email: r.email,
          displayName: r.display_name,
          isAdmin: r.is_admin,
          hasPassword: r.has_password,
          linkedIdentities: r.identities,
          createdAt: new Date(r.created_at).toISOString(),
          lastSignInAt: r.last_sign_in ? new Date(r.last_sign_in).toISOString() : null,
        })),
      };
    },
  });

  const UserParams = z.object({ id: z.string().min(1).max(64) }).strict();

  defineRoute(app, {
    method: 'DELETE',
    path: '/api/admin/users/:id',
    summary:
      "Delete someone's account and erase their data (a departing household member, a deletion request): " +
      'every sign-in and live connection ends at once, as when they delete it themselves.',
    tags: ['admin'],
    scope: 'admin',
    params: UserParams,
    preHandler: requireScope(ctx, 'admin'),
    responses: { 204: 'Deleted', 404: 'No such account', 409: 'Your own account, or the last administrator' },
    handler: async ({ params, req, reply }) => {
      const auth = await ctx.services.auth();
      const user = await auth.users.get(params.id);
      if (!user) throw new DomainError('NOT_FOUND', 'No such account.', { resource: 'user', id: params.id });
      if (user.id === req.auth!.userId)
        throw new DomainError('CONFLICT', 'Delete your own account from your account page, with your password.', {
          reason: 'own_account',
        });
      if (user.isAdmin && (await auth.users.isLastAdmin(user.id)))
        throw new DomainError('CONFLICT', 'This is the only administrator.', { reason: 'last_admin' });
      await auth.users.deleteUser(user.id, { userId: req.auth!.userId, clientId: req.auth!.clientId });
      await erasePersonData(ctx, user.id, user.email ?? null);
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'PUT',
    path: '/api/admin/users/:id/password',
    summary: 'Set a new password for someone who forgot theirs; all their sign-ins end, and they use the new one.',
    tags: ['admin'],
    scope: 'admin',
    params: UserParams,
    body: z.object({ password: z.string().max(1024) }).strict(),
    preHandler: requireScope(ctx, 'admin'),
    responses: { 204: 'Set', 400: 'Too short or too common', 404: 'No such account' },
    handler: async ({ params, body, req, reply }) => {
      const auth = await ctx.services.auth();
      await auth.users.resetPassword(params.id, body.password, {
        userId: req.auth!.userId,
        clientId: req.auth!.clientId,
      });
      return reply.status(204).send();
    },
  });
}

/** The total when the page is past the end (the window function then has no row to ride on). */
async function countUsers(ctx: AppContext, like: string | null): Promise<number> {
  const r = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users u WHERE u.deleted_at IS NULL
       AND ($1::text IS NULL OR lower(coalesce(u.email, '')) LIKE $1 OR lower(coalesce(u.display_name, '')) LIKE $1)`,
    [like],
  );
  return r.rows[0]?.n ?? 0;
}
