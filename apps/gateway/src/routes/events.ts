import { getUserSettings } from '@media-gateway/catalog';
import { TITLE_ID_PATTERN } from '@media-gateway/domain';
import { DEVICE_NAMES, type EventType, MAX_EVENTS_PER_BATCH, screenOf } from '@media-gateway/recommend';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const common = {
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
  titleId: z.string().regex(TITLE_ID_PATTERN, 'a title id looks like mg_ followed by 12 letters/digits'),
  /** When it happened; more than 5 minutes ahead of the server's clock is refused (by the service). */
  at: z.iso.datetime({ offset: true }).optional(),
  context: z
    .object({
      device: z.enum(DEVICE_NAMES).transform(screenOf).optional(),
      surface: z.string().max(40).optional(),
    })
    .strict()
    .optional(),
};

const plain = <T extends EventType>(type: T) => z.object({ ...common, type: z.literal(type) }).strict();

/** One event; `value` is required for rating (1–5) and progress (0–1) and refused elsewhere. */
export const EventSchema = z.discriminatedUnion('type', [
  plain('view'),
  plain('click'),
  plain('play'),
  plain('complete'),
  plain('like'),
  plain('dislike'),
  plain('watchlist_add'),
  plain('watchlist_remove'),
  plain('search_click'),
  z.object({ ...common, type: z.literal('rating'), value: z.number().int().min(1).max(5) }).strict(),
  z.object({ ...common, type: z.literal('progress'), value: z.number().min(0).max(1) }).strict(),
]);

/** `{events:[…]}`, or one bare event (wrapped here so error paths always name the field). */
const EventsBody = z.preprocess(
  (b) => (b && typeof b === 'object' && !Array.isArray(b) && !('events' in b) ? { events: [b] } : b),
  z.object({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_BATCH) }).strict(),
);

export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'POST',
    path: '/api/events',
    summary:
      'Record feedback (one event or {events:[…]}); idempotent by ' +
      'the client event id; updates your recommendations at once.',
    tags: ['recommendations'],
    scope: 'recommendations',
    body: EventsBody,
    preHandler: requireScope(ctx, 'recommendations'),
    responses: {
      202: 'Accepted and duplicate event ids',
      400: 'Invalid event (problem+json)',
      401: 'No token',
      403: 'Missing scope',
    },
    handler: async ({ req, body, reply }) => {
      const userId = req.auth!.userId;
      const events = body.events;
      const settings = await getUserSettings(ctx.db, userId);
      const result = await ctx.services.recommender().recordEvents(
        userId,
        settings,
        events.map((e) => ({
          id: e.id,
          type: e.type,
          titleId: e.titleId,
          value: 'value' in e ? e.value : undefined,
          at: e.at,
          context: e.context,
        })),
      );
      reply.status(202);
      return result;
    },
  });
}
