import { DomainError } from '@media-gateway/domain';
import type { NotificationList } from '@media-gateway/domain/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireOwnApp } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { OWN_APPS } from './arw-routes-table.ts';
import { defineRoute } from '../route.ts';

const ListQuery = z
  .object({
    unread: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
const IdParams = z.object({ id: z.string().regex(/^ntf_[A-Za-z0-9_-]{1,40}$/, 'a notification id') }).strict();

/**
 * The in-app notification centre: every alert sent in-app, newest first. Devices connected to /sync
 * also get each one live (`notification` frame, SPEC.md W8); this list is the durable copy.
 */
export async function notificationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/me/notifications',
    summary: 'Your notifications (availability alerts), newest first, with the unread count.',
    tags: ['me', OWN_APPS],
    query: ListQuery,
    preHandler: requireOwnApp(ctx),
    handler: async ({ req, query }): Promise<NotificationList> => {
      const userId = req.auth!.userId;
      const { rows } = await ctx.db.query<{
        id: string;
        kind: string;
        title_id: string | null;
        subject: string;
        body: string;
        created_at: Date;
        read_at: Date | null;
      }>(
        `SELECT id, kind, title_id, subject, body, created_at, read_at FROM notifications
         WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL) ORDER BY created_at DESC, id LIMIT $3`,
        [userId, query.unread === 'true', query.limit],
      );
      const unread = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          titleId: r.title_id,
          subject: r.subject,
          body: r.body,
          createdAt: r.created_at.toISOString(),
          readAt: r.read_at?.toISOString() ?? null,
        })),
        unread: unread.rows[0]?.n ?? 0,
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/me/notifications/:id/read',
    summary: 'Mark one notification read.',
    tags: ['me', OWN_APPS],
    params: IdParams,
    preHandler: requireOwnApp(ctx),
    responses: { 204: 'Marked read', 404: 'No such notification' },
    handler: async ({ req, params, reply }) => {
      const r = await ctx.db.query<{ id: string }>(
        'UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE user_id = $1 AND id = $2 RETURNING id',
        [req.auth!.userId, params.id, new Date(ctx.clock.now())],
      );
      if (r.rows.length === 0)
        throw new DomainError('NOT_FOUND', `No notification ${params.id}.`, {
          resource: 'notification',
          id: params.id,
        });
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/me/notifications/read-all',
    summary: 'Mark every notification read.',
    tags: ['me', OWN_APPS],
    preHandler: requireOwnApp(ctx),
    handler: async ({ req }) => {
      const r = await ctx.db.query<{ id: string }>(
        'UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL RETURNING id',
        [req.auth!.userId, new Date(ctx.clock.now())],
      );
      return { marked: r.rows.length };
    },
  });
}
