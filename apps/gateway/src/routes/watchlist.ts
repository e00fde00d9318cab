import { getTitle, loadTitleNames } from '@media-gateway/catalog';
import { DomainError, TITLE_ID_PATTERN } from '@media-gateway/domain';
import {
  addToWatchlist,
  readWatchlist,
  removeFromWatchlist,
  rootMap,
  setProgress,
  setWatched,
} from '@media-gateway/sync';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const TitleParams = z
  .object({ titleId: z.string().regex(TITLE_ID_PATTERN, 'a title id (mg_ + 12 letters/digits)') })
  .strict();
const AddBody = z
  .object({ titleId: z.string().regex(TITLE_ID_PATTERN, 'a title id (mg_ + 12 letters/digits)') })
  .strict();
const ProgressBody = z
  .object({
    positionSeconds: z.number().nonnegative().max(1e6),
    durationSeconds: z.number().positive().max(1e6).nullable().optional(),
    watched: z.boolean().optional(),
  })
  .strict()
  .refine(
    (b) => b.durationSeconds == null || b.positionSeconds <= b.durationSeconds,
    'positionSeconds is past durationSeconds',
  );

/** REST writes count as one "device" per OAuth client, so two REST clients never overwrite each other's key. */
function restDevice(clientId: string): string {
  return `api-${clientId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'client'}`;
}

async function requireTitle(ctx: AppContext, titleId: string): Promise<void> {
  if (!(await getTitle(ctx.db, titleId)))
    throw new DomainError('NOT_FOUND', `No title with id ${titleId}.`, { resource: 'title', id: titleId });
}

/** Watchlist and playback progress over REST, on the same state the devices sync (SPEC.md R1–R3). */
export async function watchlistRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const hub = await ctx.services.sync();

  defineRoute(app, {
    method: 'GET',
    path: '/api/watchlist',
    summary: "Your watchlist, newest first, with each title's name, year and type, progress and watched state.",
    tags: ['sync'],
    scope: 'watchlist:read',
    preHandler: requireScope(ctx, 'watchlist:read'),
    handler: async ({ req }) => {
      const items = await hub.read(req.auth!.userId, readWatchlist);
      const names = await loadTitleNames(
        ctx.db,
        items.map((i) => i.titleId),
      );
      // A title since removed from the catalog stays on the list by id, with no name.
      return {
        items: items.map((i) => {
          const n = names.get(i.titleId);
          return { ...i, title: n?.title ?? null, year: n?.year ?? null, type: n?.type ?? null };
        }),
      };
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/watchlist',
    summary: 'Add a title to your watchlist (idempotent).',
    tags: ['sync'],
    body: AddBody,
    scope: 'watchlist:write',
    preHandler: requireScope(ctx, 'watchlist:write'),
    responses: { 201: 'Added', 200: 'Already on the watchlist (kept as it was)', 404: 'Unknown title' },
    handler: async ({ req, body, reply }) => {
      await requireTitle(ctx, body.titleId);
      const device = restDevice(req.auth!.clientId);
      // Adding a title already listed keeps it where it was: a second add must not move it to the top.
      const added = await hub.edit(req.auth!.userId, (doc) => {
        if (rootMap(doc, 'watchlist').has(body.titleId)) return false;
        addToWatchlist(doc, body.titleId, device, ctx.clock.now());
        return true;
      });
      const item = (await hub.read(req.auth!.userId, readWatchlist)).find((i) => i.titleId === body.titleId);
      return reply.status(added ? 201 : 200).send(item);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    path: '/api/watchlist/:titleId',
    summary: 'Remove a title from your watchlist.',
    tags: ['sync'],
    params: TitleParams,
    scope: 'watchlist:write',
    preHandler: requireScope(ctx, 'watchlist:write'),
    responses: { 204: 'Removed', 404: 'Not on the watchlist' },
    handler: async ({ req, params, reply }) => {
      const removed = await hub.edit(req.auth!.userId, (doc) => removeFromWatchlist(doc, params.titleId));
      if (!removed)
        throw new DomainError('NOT_FOUND', `${params.titleId} is not on your watchlist.`, {
          resource: 'watchlist-item',
          id: params.titleId,
        });
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'PUT',
    path: '/api/progress/:titleId',
    summary: 'Record where you stopped watching (latest real edit wins).',
    tags: ['sync'],
    params: TitleParams,
    body: ProgressBody,
    scope: 'watchlist:write',
    preHandler: requireScope(ctx, 'watchlist:write'),
    responses: { 202: 'Accepted: stored, and on its way to your devices', 404: 'Unknown title' },
    handler: async ({ req, params, body, reply }) => {
      await requireTitle(ctx, params.titleId);
      const device = restDevice(req.auth!.clientId);
      const hlc = await hub.edit(req.auth!.userId, (doc, clock) => {
        const stamp = clock.tick();
        setProgress(doc, params.titleId, device, {
          positionSeconds: body.positionSeconds,
          durationSeconds: body.durationSeconds ?? null,
          hlc: stamp,
        });
        if (body.watched !== undefined) setWatched(doc, params.titleId, device, { watched: body.watched, hlc: stamp });
        return stamp;
      });
      return reply.status(202).send({
        titleId: params.titleId,
        positionSeconds: body.positionSeconds,
        durationSeconds: body.durationSeconds ?? null,
        watched: body.watched,
        hlc,
      });
    },
  });
}
