import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
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
