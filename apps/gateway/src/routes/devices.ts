import { randomUUID } from 'node:crypto';
import { getTitle, getUserSettings, type OfferView } from '@media-gateway/catalog';
import { DomainError, TITLE_ID_PATTERN } from '@media-gateway/domain';
import { addHandoff, type DeepLink, DEVICE_TYPES, putDevice, readDevices } from '@media-gateway/sync';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isOwnApp, requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';

const DeviceParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a device id') }).strict();
const PatchBody = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    // "mobile" is the recommender's word for a phone, as in the sync hello.
    type: z
      .enum([...DEVICE_TYPES, 'mobile'])
      .transform((t) => (t === 'mobile' ? 'phone' : t))
      .optional(),
    capabilities: z.array(z.string().max(40)).max(20).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const HandoffBody = z
  .object({
    titleId: z.string().regex(TITLE_ID_PATTERN, 'a title id (mg_ + 12 letters/digits)'),
    position: z.number().nonnegative().max(1e6).optional(),
    platform: z.string().min(1).max(40).optional(),
    /** The sending device's id, when it is one of the person's registered devices (the receiver shows its name). */
    from: z.string().min(1).max(64).optional(),
  })
  .strict();

/**
 * The deep link a handoff carries (SPEC.md H2): an offer the catalog actually has, preferring the
 * asked platform, then the person's region, then their services, then a direct link over a search page. Never invented:
 * no offer → null, and a requested platform without an offer is a 404.
 */
export function pickLink(
  offers: Record<string, Record<string, OfferView[]>>,
  region: string,
  platform?: string,
  services: readonly string[] = [],
): DeepLink | null {
  const all = Object.values(offers)
    .flatMap((byPlatform) => Object.values(byPlatform).flat())
    .filter((o) => !platform || o.platform === platform)
    // A handoff needs a link: offers known only by name (`none`, decision 0073) cannot be sent.
    .filter(
      (o): o is OfferView & { url: string; urlKind: 'direct' | 'search' } => o.url !== null && o.urlKind !== 'none',
    );
  // A service the person has beats one they would have to pay for (Parasite on their Peacock, not on Hulu).
  const score = (o: OfferView) =>
    (o.region === region ? 4 : 0) +
    (services.includes(o.platform) ? 2 : 0) +
    (o.urlKind === 'direct' ? 1 : 0) -
    (o.isStale ? 8 : 0);
  const best = all.sort((a, b) => score(b) - score(a) || a.platform.localeCompare(b.platform))[0];
  return best
    ? { platform: best.platform, url: best.url, urlKind: best.urlKind, appUrl: best.appUrl, region: best.region }
    : null;
}

/** Device registry and handoff (SPEC.md R4–R6, H1–H3). */
export async function deviceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const hub = await ctx.services.sync();

  defineRoute(app, {
    method: 'GET',
    path: '/api/devices',
    summary: 'Your devices with online state and when each was last seen.',
    tags: ['sync'],
    scope: 'devices',
    preHandler: requireScope(ctx, 'devices'),
    handler: async ({ req }) => {
      const userId = req.auth!.userId;
      const [devices, online, seen] = await Promise.all([
        hub.read(userId, readDevices),
        hub.online(userId),
        hub.store.lastSeen(userId),
      ]);
      return {
        devices: devices.map((d) => ({
          id: d.id,
          name: d.name,
          type: d.type,
          capabilities: d.capabilities,
          online: online.includes(d.id),
          lastSeen: seen.get(d.id) ?? null,
        })),
      };
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    path: '/api/devices/:id',
    summary: 'Rename a device or change its type or capabilities.',
    tags: ['sync'],
    params: DeviceParams,
    body: PatchBody,
    scope: 'devices',
    preHandler: requireScope(ctx, 'devices'),
    responses: { 200: 'Updated', 404: 'Unknown device' },
    handler: async ({ req, params, body }) => {
      const userId = req.auth!.userId;
      const updated = await hub.edit(userId, (doc, clock) => {
        const current = readDevices(doc).find((d) => d.id === params.id);
        if (!current) return undefined;
        const next = {
          name: body.name ?? current.name,
          type: body.type ?? current.type,
          capabilities: body.capabilities ?? current.capabilities,
          hlc: clock.tick(),
        };
        putDevice(doc, params.id, next);
        return next;
      });
      if (!updated)
        throw new DomainError('NOT_FOUND', `No device with id ${params.id}.`, { resource: 'device', id: params.id });
      return { id: params.id, name: updated.name, type: updated.type, capabilities: updated.capabilities };
    },
  });

  defineRoute(app, {
    method: 'POST',
    path: '/api/devices/:id/handoff',
    summary: 'Send a title (and position) to one of your devices; it opens the deep link.',
    tags: ['sync'],
    params: DeviceParams,
    body: HandoffBody,
    scope: 'devices',
    preHandler: requireScope(ctx, 'devices'),
    responses: {
      202: 'Queued in the device inbox (delivered live when online)',
      404: 'Unknown device, title or platform offer',
    },
    handler: async ({ req, params, body, reply }) => {
      const userId = req.auth!.userId;
      const known = await hub.read(userId, (doc) => readDevices(doc).some((d) => d.id === params.id));
      if (!known)
        throw new DomainError('NOT_FOUND', `No device with id ${params.id}.`, { resource: 'device', id: params.id });
      const title = await getTitle(ctx.db, body.titleId, {
        now: ctx.clock.now(),
        staleness: ctx.config.catalog.staleness,
      });
      if (!title)
        throw new DomainError('NOT_FOUND', `No title with id ${body.titleId}.`, {
          resource: 'title',
          id: body.titleId,
        });
      const { region, services } = await getUserSettings(ctx.db, userId);
      const link = pickLink(title.offers, region, body.platform, services);
      if (body.platform && !link) {
        throw new DomainError('NOT_FOUND', `${title.title} has no known offer on "${body.platform}".`, {
          resource: 'offer',
          platform: body.platform,
        });
      }
      const handoffId = randomUUID().replace(/-/g, '').slice(0, 16);
      // The sender names itself when it is a registered device of this person and the call comes from one of our own
      // apps (an agent may not make the TV say "Sent from Alice's phone"); otherwise the handoff is from the app.
      const ownApp = body.from ? await isOwnApp(ctx, req.auth!.clientId) : false;
      const sender = ownApp ? await hub.read(userId, (doc) => readDevices(doc).some((d) => d.id === body.from)) : false;
      const fromDevice = sender
        ? body.from!
        : `api-${req.auth!.clientId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'client'}`;
      await hub.edit(userId, (doc) =>
        addHandoff(doc, params.id, handoffId, {
          titleId: body.titleId,
          positionSeconds: body.position ?? null,
          link,
          fromDevice,
          createdAt: ctx.clock.now(),
        }),
      );
      const delivered = await hub.notifyHandoff(userId, params.id, handoffId);
      return reply.status(202).send({
        id: handoffId,
        deviceId: params.id,
        titleId: body.titleId,
        positionSeconds: body.position ?? null,
        link,
        deliveredLive: delivered,
      });
    },
  });
}
