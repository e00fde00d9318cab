import * as Y from 'yjs';
import { z } from 'zod';
import { compareHlc, HLC_PATTERN } from './hlc.ts';

/**
 * The per-user document. Every root type is a Y.Map whose values are plain JSON objects; each
 * write stores a FRESH object, which is what makes a concurrent add and remove of the same
 * watchlist key end with the add (see SPEC.md S1, decision 0040). Values written by one device only
 * live under keys containing that device's id, so yjs's own "higher client id wins" rule never
 * decides between two devices: the hybrid logical clock does, at read time (S3).
 */
export const ROOTS = ['watchlist', 'progress', 'watched', 'devices', 'inbox'] as const;
export type RootName = (typeof ROOTS)[number];

export const TITLE_ID = /^mg_[a-z2-7]{12}$/;
export const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const DEVICE_TYPES = ['phone', 'tablet', 'laptop', 'desktop', 'tv', 'cli', 'web', 'other'] as const;

const hlc = z.string().regex(HLC_PATTERN);
export const WatchlistEntrySchema = z
  .object({ addedAt: z.number().int().nonnegative(), by: z.string().max(80) })
  .strict();
export const ProgressEntrySchema = z
  .object({
    positionSeconds: z.number().nonnegative().max(1e6),
    durationSeconds: z.number().positive().max(1e6).nullable(),
    hlc,
  })
  .strict();
export const WatchedEntrySchema = z.object({ watched: z.boolean(), hlc }).strict();
export const DeviceEntrySchema = z
  .object({
    name: z.string().min(1).max(80),
    type: z.enum(DEVICE_TYPES),
    capabilities: z.array(z.string().max(40)).max(20),
    hlc,
  })
  .strict();
export const DeepLinkSchema = z
  .object({
    platform: z.string().max(40),
    url: z.string().url().max(2000),
    urlKind: z.enum(['direct', 'search']),
    appUrl: z.string().max(2000).nullable(),
    region: z.string().max(2),
  })
  .strict();
export const InboxEntrySchema = z
  .object({
    titleId: z.string().regex(TITLE_ID),
    positionSeconds: z.number().nonnegative().max(1e6).nullable(),
    link: DeepLinkSchema.nullable(),
    fromDevice: z.string().max(80),
    createdAt: z.number().int().nonnegative(),
  })
  .strict();

export type WatchlistEntry = z.infer<typeof WatchlistEntrySchema>;
export type ProgressEntry = z.infer<typeof ProgressEntrySchema>;
export type WatchedEntry = z.infer<typeof WatchedEntrySchema>;
export type DeviceEntry = z.infer<typeof DeviceEntrySchema>;
export type DeepLink = z.infer<typeof DeepLinkSchema>;
export type InboxEntry = z.infer<typeof InboxEntrySchema>;

/** Key and value rules per root map; used to validate incoming updates (S8) and to read defensively. */
export const ROOT_RULES: Record<RootName, { key: RegExp; value: z.ZodType }> = {
  watchlist: { key: TITLE_ID, value: WatchlistEntrySchema },
  progress: { key: /^mg_[a-z2-7]{12}\|[A-Za-z0-9_-]{1,64}$/, value: ProgressEntrySchema },
  watched: { key: /^mg_[a-z2-7]{12}\|[A-Za-z0-9_-]{1,64}$/, value: WatchedEntrySchema },
  devices: { key: DEVICE_ID, value: DeviceEntrySchema },
  inbox: { key: /^[A-Za-z0-9_-]{1,64}\|[A-Za-z0-9_-]{1,64}$/, value: InboxEntrySchema },
};

/**
 * Most entries a person's document holds per root map: a client sending valid updates without end grew one
 * document to 500,000 watchlist entries, and every edit re-encodes the whole document on the server thread.
 * Far above real use (the largest IMDb lists hold 10,000 titles).
 */
export const ROOT_CAPS: Record<RootName, number> = {
  watchlist: 10_000,
  progress: 20_000,
  watched: 20_000,
  devices: 1_000,
  inbox: 500,
};

/**
 * Which entries stay when a map is past its cap. A full watchlist keeps what was on it (the newest additions go);
 * positions, watched marks, devices and pending handoffs keep the newest (the oldest go: a handoff nobody opened,
 * a browser not seen for years).
 */
const CAP_KEEPS: Record<RootName, 'oldest' | 'newest'> = {
  watchlist: 'oldest',
  progress: 'newest',
  watched: 'newest',
  devices: 'newest',
  inbox: 'newest',
};

export type RootSizes = Record<RootName, number>;

export function rootSizes(doc: Y.Doc): RootSizes {
  const sizes = {} as RootSizes;
  for (const root of ROOTS) sizes[root] = rootMap(doc, root).size;
  return sizes;
}

/** When an entry was made: `addedAt`, `createdAt`, or the wall-clock part of its `hlc`; -1 when it has none. */
function entryTime(value: unknown): number {
  const v = value as { addedAt?: unknown; createdAt?: unknown; hlc?: unknown } | null;
  if (typeof v?.addedAt === 'number') return v.addedAt;
  if (typeof v?.createdAt === 'number') return v.createdAt;
  if (typeof v?.hlc === 'string') return Number(v.hlc.slice(0, 15)) || -1;
  return -1;
}

export function pastCaps(doc: Y.Doc): boolean {
  return ROOTS.some((root) => rootMap(doc, root).size > ROOT_CAPS[root]);
}

/** Why a watchlist of `before` entries growing to `after` goes past its cap, or undefined when it does not. */
export function watchlistFull(before: number, after: number): string | undefined {
  const cap = ROOT_CAPS.watchlist;
  return after > before && after > cap ? `a watchlist holds at most ${cap} titles (${before} now)` : undefined;
}

/**
 * Brings every map back to its cap (CAP_KEEPS says which entries go), in one transaction; returns how many entries
 * it removed. Devices are never refused an update:
 * refusing one would leave every later edit of that device waiting for it, on the server and on every other device.
 */
export function trimToCaps(doc: Y.Doc, origin?: unknown): number {
  let removed = 0;
  doc.transact(() => {
    for (const root of ROOTS) {
      const map = rootMap(doc, root);
      const excess = map.size - ROOT_CAPS[root];
      if (excess <= 0) continue;
      // Oldest first by the entry's own time; an entry of the wrong shape counts as the oldest.
      const keys = [...map.entries()]
        .map(([key, value]) => ({ key, at: entryTime(value) }))
        .sort((a, b) => a.at - b.at || a.key.localeCompare(b.key))
        .map((e) => e.key);
      const doomed = CAP_KEEPS[root] === 'newest' ? keys.slice(0, excess) : keys.slice(keys.length - excess);
      for (const key of doomed) map.delete(key);
      removed += doomed.length;
    }
  }, origin);
  return removed;
}

export function rootMap(doc: Y.Doc, name: RootName): Y.Map<unknown> {
  return doc.getMap(name);
}

/** Reads one entry, ignoring values that do not match the schema (a defensive read; S8). */
function entries<T>(doc: Y.Doc, name: RootName): Array<[string, T]> {
  const out: Array<[string, T]> = [];
  const rule = ROOT_RULES[name];
  for (const [key, value] of rootMap(doc, name).entries()) {
    if (!rule.key.test(key)) continue;
    const parsed = rule.value.safeParse(value);
    if (parsed.success) out.push([key, parsed.data as T]);
  }
  return out;
}

// ---------- writes (each in its own transaction; `origin` lets the caller recognise its own edits) ----------

export function addToWatchlist(doc: Y.Doc, titleId: string, by: string, now = Date.now(), origin?: unknown): void {
  doc.transact(() => rootMap(doc, 'watchlist').set(titleId, { addedAt: now, by } satisfies WatchlistEntry), origin);
}

export function removeFromWatchlist(doc: Y.Doc, titleId: string, origin?: unknown): boolean {
  const map = rootMap(doc, 'watchlist');
  if (!map.has(titleId)) return false;
  doc.transact(() => map.delete(titleId), origin);
  return true;
}

export function setProgress(
  doc: Y.Doc,
  titleId: string,
  deviceId: string,
  entry: ProgressEntry,
  origin?: unknown,
): void {
  doc.transact(() => rootMap(doc, 'progress').set(`${titleId}|${deviceId}`, { ...entry }), origin);
}

export function setWatched(doc: Y.Doc, titleId: string, deviceId: string, entry: WatchedEntry, origin?: unknown): void {
  doc.transact(() => rootMap(doc, 'watched').set(`${titleId}|${deviceId}`, { ...entry }), origin);
}

export function putDevice(doc: Y.Doc, deviceId: string, entry: DeviceEntry, origin?: unknown): void {
  doc.transact(
    () => rootMap(doc, 'devices').set(deviceId, { ...entry, capabilities: [...entry.capabilities] }),
    origin,
  );
}

export function addHandoff(doc: Y.Doc, deviceId: string, handoffId: string, entry: InboxEntry, origin?: unknown): void {
  doc.transact(() => rootMap(doc, 'inbox').set(`${deviceId}|${handoffId}`, { ...entry }), origin);
}

/** The target device calls this once it has opened (or dismissed) a handoff. */
export function ackHandoff(doc: Y.Doc, deviceId: string, handoffId: string, origin?: unknown): boolean {
  const map = rootMap(doc, 'inbox');
  const key = `${deviceId}|${handoffId}`;
  if (!map.has(key)) return false;
  doc.transact(() => map.delete(key), origin);
  return true;
}

// ---------- reads ----------

export interface ResolvedProgress extends ProgressEntry {
  deviceId: string;
}

/** Latest progress per title: the entry with the greatest hybrid logical clock wins (S3). */
export function readProgress(doc: Y.Doc): Map<string, ResolvedProgress> {
  return latestByTitle<ProgressEntry>(doc, 'progress');
}

export function readWatched(doc: Y.Doc): Map<string, WatchedEntry & { deviceId: string }> {
  return latestByTitle<WatchedEntry>(doc, 'watched');
}

function latestByTitle<T extends { hlc: string }>(
  doc: Y.Doc,
  name: 'progress' | 'watched',
): Map<string, T & { deviceId: string }> {
  const out = new Map<string, T & { deviceId: string }>();
  for (const [key, value] of entries<T>(doc, name)) {
    const [titleId, deviceId] = key.split('|') as [string, string];
    const current = out.get(titleId);
    if (!current || compareHlc(value.hlc, current.hlc) > 0) out.set(titleId, { ...value, deviceId });
  }
  return out;
}

export interface WatchlistItem {
  titleId: string;
  addedAt: string;
  progress: { positionSeconds: number; durationSeconds: number | null; deviceId: string; hlc: string } | null;
  watched: boolean;
}

export function readWatchlist(doc: Y.Doc): WatchlistItem[] {
  const progress = readProgress(doc);
  const watched = readWatched(doc);
  return entries<WatchlistEntry>(doc, 'watchlist')
    .map(([titleId, e]) => {
      const p = progress.get(titleId);
      return {
        titleId,
        addedAt: new Date(e.addedAt).toISOString(),
        progress: p
          ? { positionSeconds: p.positionSeconds, durationSeconds: p.durationSeconds, deviceId: p.deviceId, hlc: p.hlc }
          : null,
        watched: watched.get(titleId)?.watched ?? false,
      };
    })
    .sort((a, b) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : a.titleId.localeCompare(b.titleId)));
}

export function readDevices(doc: Y.Doc): Array<DeviceEntry & { id: string }> {
  return entries<DeviceEntry>(doc, 'devices')
    .map(([id, d]) => ({ id, ...d }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function readInbox(doc: Y.Doc, deviceId: string): Array<InboxEntry & { id: string }> {
  const prefix = `${deviceId}|`;
  return entries<InboxEntry>(doc, 'inbox')
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, e]) => ({ id: key.slice(prefix.length), ...e }))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** Every hybrid-clock value in the document: a replica observes them so its next edit sorts later (S4). */
export function allHlcs(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const name of ['progress', 'watched', 'devices'] as const) {
    for (const value of rootMap(doc, name).values()) {
      const h = (value as { hlc?: unknown } | null)?.hlc;
      if (typeof h === 'string') out.push(h);
    }
  }
  return out;
}

/**
 * The hybrid-clock values carried by one update. Observing these on every incoming update is
 * enough for S4 (older values were observed when they arrived) and costs O(update), where
 * re-reading `allHlcs(doc)` would cost O(whole state) per update on a busy replica.
 */
export function hlcsInUpdate(update: Uint8Array): string[] {
  const out: string[] = [];
  for (const s of Y.decodeUpdate(update).structs) {
    if (s instanceof Y.Item && s.content instanceof Y.ContentAny) {
      const h = (s.content.arr[0] as { hlc?: unknown } | null)?.hlc;
      if (typeof h === 'string') out.push(h);
    }
  }
  return out;
}

/** Plain JSON view of the whole state (tests and debugging); touches every root first (yjs omits unread roots). */
export function snapshotJson(doc: Y.Doc): Record<RootName, Record<string, unknown>> {
  const out = {} as Record<RootName, Record<string, unknown>>;
  for (const name of ROOTS) out[name] = rootMap(doc, name).toJSON();
  return out;
}
