import { ECDH } from 'node:crypto';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type AlertPreferences,
  AlertPreferencesBody,
  getAlertPreferences,
  revokeFeedToken,
  rotateFeedToken,
  updateAlertPreferences,
  userForFeedToken,
} from '../alerts/alert-preferences.ts';
import { leavingSoon, platformName } from '../alerts/alert-rules.ts';
import { calendar } from '../alerts/ical.ts';
import { vapidKeys } from '../alerts/vapid-keys.ts';
import { refreshWatchlistIndex } from '../alerts/watchlist-index.ts';
import { isPrivateLiteral } from '../alerts/channels/private-address.ts';
import { requireOwnApp } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { OWN_APPS, PRIVATE_LINK } from './arw-routes-table.ts';
import { defineRoute } from '../route.ts';

/** How far ahead the leaving-soon feed looks. */
const FEED_DAYS = 60;
const MAX_PUSH_SUBSCRIPTIONS = 20;
const B64URL = /^[A-Za-z0-9_-]+=*$/;

/** Keys that are not a point on P-256 could never encrypt a message: refused when subscribing, not at every alert. */
function isP256Point(b64url: string): boolean {
  try {
    return ECDH.convertKey(Buffer.from(b64url, 'base64url'), 'prime256v1').length === 65;
  } catch {
    return false;
  }
}

const FeedQuery = z.object({ token: z.string().min(10).max(100) }).strict();
const PushBody = z
  .object({
    endpoint: z.url({ message: 'the push service URL' }).max(2000),
    keys: z
      .object({
        // An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url (RFC 8291).
        p256dh: z
          .string()
          .regex(B64URL)
          .min(86)
          .max(90)
          .refine(isP256Point, { message: "the browser's P-256 public key (65 bytes, uncompressed)" }),
        auth: z.string().regex(B64URL).min(21).max(24),
      })
      .strip(),
    expirationTime: z.number().nullable().optional(),
  })
  .strip();
const PushDelete = z.object({ endpoint: z.url().max(2000) }).strict();

/** Availability alerts: a person's choices, the leaving-soon iCal feed and Web Push subscriptions (decision 0120). */
export async function alertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config } = ctx;
  const view = (p: AlertPreferences) => ({
    ...p,
    leavingFeedUrl: p.feedToken ? `${config.publicUrl}/api/me/alerts/leaving.ics?token=${p.feedToken}` : null,
    /** Channels this server can send on (email needs MG_ALERTS_SMTP_URL). */
    availableChannels: ['inapp', 'webhook', 'push', ...(config.alerts.smtpUrl ? ['email'] : [])],
  });

  /** A loopback or private address is refused when typed, not only (silently, in the log) at delivery. */
  const refusePrivate = (url: URL, field: string) => {
    if (!config.alerts.webhookAllowPrivate && isPrivateLiteral(url.hostname))
      throw new DomainError(
        'INVALID_INPUT',
        `${field} points to a loopback or private address (${url.hostname}); this server delivers alerts only to ` +
          'public addresses (MG_ALERTS_WEBHOOK_PRIVATE=on allows them).',
        { field },
      );
  };

  defineRoute(app, {
    method: 'GET',
    path: '/api/me/alerts',
    summary: 'Your alert choices: kinds, channels, quiet hours, digest, email, webhook (with its signing secret).',
    tags: ['me', OWN_APPS],
    preHandler: requireOwnApp(ctx),
    handler: async ({ req }) => view(await getAlertPreferences(ctx.db, req.auth!.userId)),
  });

  defineRoute(app, {
    method: 'PUT',
    path: '/api/me/alerts',
    summary: 'Change your alert choices (fields left out stay as they are).',
    tags: ['me', OWN_APPS],
    body: AlertPreferencesBody,
    preHandler: requireOwnApp(ctx),
    responses: { 200: 'The new choices', 400: 'Invalid choice (problem+json)' },
    handler: async ({ req, body }) => {
      if (body.webhookUrl) refusePrivate(new URL(body.webhookUrl), 'webhookUrl');
      if (body.channels?.includes('email') && !config.alerts.smtpUrl)
        throw new DomainError('INVALID_INPUT', 'This server sends no email (MG_ALERTS_SMTP_URL is not set).', {
          field: 'channels',
        });
      return view(await updateAlertPreferences(ctx.db, req.auth!.userId, body));
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/me/alerts/feed-token',
    summary: 'Create (or replace) your private leaving-soon calendar feed URL.',
    tags: ['me', OWN_APPS],
    preHandler: requireOwnApp(ctx),
    responses: { 201: 'The feed URL' },
    handler: async ({ req, reply }) => {
      const token = await rotateFeedToken(ctx.db, req.auth!.userId);
      return reply.status(201).send({ token, url: `${config.publicUrl}/api/me/alerts/leaving.ics?token=${token}` });
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    path: '/api/me/alerts/feed-token',
    summary: 'Revoke your calendar feed URL.',
    tags: ['me', OWN_APPS],
    preHandler: requireOwnApp(ctx),
    responses: { 204: 'Revoked', 404: 'No feed' },
    handler: async ({ req, reply }) => {
      if (!(await revokeFeedToken(ctx.db, req.auth!.userId)))
        throw new DomainError('NOT_FOUND', 'You have no calendar feed.', { resource: 'feed-token' });
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/me/alerts/leaving.ics',
    summary: 'iCalendar feed of the dates your watchlist titles leave your services (the token is the credential).',
    tags: ['me', PRIVATE_LINK],
    query: FeedQuery,
    responses: { 200: 'text/calendar', 404: 'Unknown or revoked token' },
    handler: async ({ query, reply }) => {
      const userId = await userForFeedToken(ctx.db, query.token);
      if (!userId) throw new DomainError('NOT_FOUND', 'No calendar feed with this token.', { resource: 'feed' });
      await refreshWatchlistIndex(ctx.db, userId);
      const now = ctx.clock.now();
      const rows = await leavingSoon(ctx.db, now, now + FEED_DAYS * 86_400_000, userId);
      const events = rows.map((r) => {
        const date = r.until.toISOString().slice(0, 10);
        const service = platformName(r.platform);
        return {
          uid: `${r.title_id}-${r.platform}-${r.region}-${date}@media-gateway`,
          date,
          summary: `Leaving ${service}: ${r.title_name}`,
          description: `“${r.title_name}” from your watchlist leaves ${service} in ${r.region} on ${date}.`,
        };
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(calendar('Leaving soon (Media Gateway)', events, now));
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/push/vapid-public-key',
    summary: 'The VAPID public key browsers subscribe to Web Push with (applicationServerKey).',
    tags: ['alerts'],
    handler: async () => ({ publicKey: (await vapidKeys(ctx.db, config.alerts, config.publicUrl)).publicKey }),
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/me/push-subscriptions',
    summary: 'Register this browser for Web Push alerts (the PushSubscription JSON).',
    tags: ['me', OWN_APPS],
    body: PushBody,
    preHandler: requireOwnApp(ctx),
    responses: { 201: 'Registered', 400: 'Invalid subscription' },
    handler: async ({ req, body, reply }) => {
      const url = new URL(body.endpoint);
      // Push services are https; plain http only where local addresses are allowed (development, tests).
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.alerts.webhookAllowPrivate))
        throw new DomainError('INVALID_INPUT', 'endpoint must be an https URL.', { field: 'endpoint' });
      refusePrivate(url, 'endpoint');
      const userId = req.auth!.userId;
      const count = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM push_subscriptions WHERE user_id = $1 AND endpoint <> $2',
        [userId, body.endpoint],
      );
      if ((count.rows[0]?.n ?? 0) >= MAX_PUSH_SUBSCRIPTIONS)
        throw new DomainError('CONFLICT', `At most ${MAX_PUSH_SUBSCRIPTIONS} push subscriptions; remove one first.`);
      await ctx.db.query(
        `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth`,
        [userId, body.endpoint, body.keys.p256dh, body.keys.auth],
      );
      return reply.status(201).send({ endpoint: body.endpoint });
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    path: '/api/me/push-subscriptions',
    summary: 'Stop Web Push alerts to one browser.',
    tags: ['me', OWN_APPS],
    body: PushDelete,
    preHandler: requireOwnApp(ctx),
    responses: { 204: 'Removed', 404: 'No such subscription' },
    handler: async ({ req, body, reply }) => {
      const r = await ctx.db.query<{ endpoint: string }>(
        'DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2 RETURNING endpoint',
        [req.auth!.userId, body.endpoint],
      );
      if (r.rows.length === 0)
        throw new DomainError('NOT_FOUND', 'No push subscription with this endpoint.', {
          resource: 'push-subscription',
        });
      return reply.status(204).send();
    },
  });
}
