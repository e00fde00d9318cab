import { z } from 'zod';
import { callApi, compact, defineTool, TITLE_ID } from '../tool-kit.ts';

// The user is always the token's subject: none of these tools takes a user id (inputs are strict).

interface RestWatchlistItem {
  titleId: string;
  /** Null when the title has since left the catalog: it stays on the list by id. */
  title: string | null;
  year: number | null;
  type: 'movie' | 'series' | null;
  addedAt: string;
  progress: { positionSeconds: number; durationSeconds: number | null } | null;
  watched: boolean;
}

const WatchlistEntry = z.object({
  titleId: z.string(),
  title: z.string().optional(),
  year: z.number().int().optional(),
  type: z.string().optional(),
  addedAt: z.string(),
  positionSeconds: z.number().optional(),
  durationSeconds: z.number().optional(),
  watched: z.boolean().optional(),
});

/** The REST list names each title, so the answer is usable without a second tool call. */
function describe(item: RestWatchlistItem): z.infer<typeof WatchlistEntry> {
  return compact({
    titleId: item.titleId,
    title: item.title ?? undefined,
    year: item.year ?? undefined,
    type: item.type ?? undefined,
    addedAt: item.addedAt.slice(0, 10),
    positionSeconds: item.progress?.positionSeconds,
    durationSeconds: item.progress?.durationSeconds ?? undefined,
    watched: item.watched ? true : undefined,
  });
}

export const listUserWatchlist = defineTool({
  name: 'list_user_watchlist',
  title: 'My watchlist',
  description:
    "The signed-in person's watchlist, newest first, with where they stopped watching. Needs the watchlist:read scope.",
  input: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
  output: z.object({ total: z.number().int(), items: z.array(WatchlistEntry) }),
  scope: 'watchlist:read',
  route: { method: 'GET', path: '/api/watchlist' },
  annotations: { title: 'My watchlist', readOnlyHint: true, openWorldHint: false },
  async run(input, ctx) {
    const { items } = await callApi<{ items: RestWatchlistItem[] }>(ctx, { method: 'GET', path: '/api/watchlist' });
    return { total: items.length, items: items.slice(0, input.limit).map(describe) };
  },
});

export const addToWatchlist = defineTool({
  name: 'add_to_watchlist',
  title: 'Add to watchlist',
  description:
    "Adds a title to the signed-in person's watchlist; it shows up on " +
    'all their devices. Adding twice is harmless. Needs watchlist:write.',
  input: z.object({ title_id: TITLE_ID }).strict(),
  output: z.object({ titleId: z.string(), addedAt: z.string(), onWatchlist: z.literal(true) }),
  scope: 'watchlist:write',
  route: { method: 'POST', path: '/api/watchlist' },
  annotations: {
    title: 'Add to watchlist',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async run(input, ctx) {
    const item = await callApi<RestWatchlistItem>(ctx, {
      method: 'POST',
      path: '/api/watchlist',
      body: { titleId: input.title_id },
    });
    return { titleId: item.titleId, addedAt: item.addedAt, onWatchlist: true as const };
  },
});

export const removeFromWatchlist = defineTool({
  name: 'remove_from_watchlist',
  title: 'Remove from watchlist',
  description: "Removes a title from the signed-in person's watchlist on all their devices. Needs watchlist:write.",
  input: z.object({ title_id: TITLE_ID }).strict(),
  output: z.object({ titleId: z.string(), onWatchlist: z.literal(false) }),
  scope: 'watchlist:write',
  route: { method: 'DELETE', path: '/api/watchlist/:titleId' },
  annotations: {
    title: 'Remove from watchlist',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run(input, ctx) {
    await callApi(ctx, { method: 'DELETE', path: `/api/watchlist/${encodeURIComponent(input.title_id)}` });
    return { titleId: input.title_id, onWatchlist: false as const };
  },
});

export const listUserDevices = defineTool({
  name: 'list_user_devices',
  title: 'My devices',
  description:
    "The signed-in person's devices (TV, phone, laptop…) with whether each " +
    'is online now. Use an id with send_to_device. Needs the devices scope.',
  input: z.object({}).strict(),
  output: z.object({
    devices: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.string(),
        online: z.boolean(),
        lastSeen: z.string().optional(),
      }),
    ),
  }),
  scope: 'devices',
  route: { method: 'GET', path: '/api/devices' },
  annotations: { title: 'My devices', readOnlyHint: true, openWorldHint: false },
  async run(_input, ctx) {
    const { devices } = await callApi<{
      devices: Array<{ id: string; name: string; type: string; online: boolean; lastSeen: string | number | null }>;
    }>(ctx, { method: 'GET', path: '/api/devices' });
    return {
      devices: devices.map((d) =>
        compact({
          id: d.id,
          name: d.name,
          type: d.type,
          online: d.online,
          lastSeen: d.lastSeen === null ? undefined : new Date(d.lastSeen).toISOString(),
        }),
      ),
    };
  },
});

export const sendToDevice = defineTool({
  name: 'send_to_device',
  title: 'Play on a device',
  description:
    "Sends a title (optionally a start position and platform) to one of the signed-in person's devices, " +
    'which opens it. Devices that are offline get it when they reconnect. Needs the devices scope.',
  input: z
    .object({
      device_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a device id from list_user_devices'),
      title_id: TITLE_ID,
      position_seconds: z.number().nonnegative().max(1e6).optional().describe('Where to start, in seconds'),
      platform: z.string().min(1).max(40).optional().describe('Platform id to open it on, e.g. netflix'),
    })
    .strict(),
  output: z.object({
    handoffId: z.string(),
    deviceId: z.string(),
    titleId: z.string(),
    deliveredNow: z.boolean(),
    link: z.object({ platform: z.string(), url: z.string(), kind: z.enum(['direct', 'search']) }).optional(),
  }),
  scope: 'devices',
  route: { method: 'POST', path: '/api/devices/:id/handoff' },
  annotations: {
    title: 'Play on a device',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run(input, ctx) {
    const sent = await callApi<{
      id: string;
      deviceId: string;
      titleId: string;
      deliveredLive: boolean;
      link: { platform: string; url: string; urlKind: 'direct' | 'search' } | null;
    }>(ctx, {
      method: 'POST',
      path: `/api/devices/${encodeURIComponent(input.device_id)}/handoff`,
      body: compact({ titleId: input.title_id, position: input.position_seconds, platform: input.platform }),
    });
    return compact({
      handoffId: sent.id,
      deviceId: sent.deviceId,
      titleId: sent.titleId,
      deliveredNow: sent.deliveredLive,
      link: sent.link ? { platform: sent.link.platform, url: sent.link.url, kind: sent.link.urlKind } : undefined,
    });
  },
});
