import type { ItemTable } from './item-table.ts';
import type { Db, Queryable } from '@media-gateway/db';
import { type Clock, DomainError, getPlatform, systemClock } from '@media-gateway/domain';
import { decodeAdapter, encodeAdapter } from './adapter-codec.ts';
import { type CatalogSnapshot, SnapshotHolder } from './catalog-snapshot.ts';
import { CONTENT_DIM } from './content-vectors.ts';
import type { RankContext } from './context-rerank.ts';
import type { EventType } from './event-signals.ts';
import { trainAndStore, type TrainStats } from './model-store.ts';
import { DEFAULT_WEIGHTS, type RankWeights, rank, type Reason, topK } from './ranker.ts';
import { type TrendContribution, TrendStore } from './trend-store.ts';
import { type ContentLookup, UserAdapter } from './user-adapter.ts';

export interface EventInput {
  /** Client-supplied id: sending the same id again changes nothing. */
  id: string;
  type: EventType;
  titleId: string;
  value?: number | undefined;
  /** ISO time; defaults to when the server received it. */
  at?: string | undefined;
  context?: Record<string, unknown> | undefined;
}

/** Where the person watches: from their settings, never from the request. */
export interface Audience {
  region: string;
  services: readonly string[];
  onboardingPicks?: readonly string[];
}

export interface Recommendation {
  titleId: string;
  score: number;
  why: string;
  reason: Reason;
  /** The person's platforms in their region that carry it. */
  platforms: string[];
}

function platformName(id: string): string {
  return getPlatform(id)?.name ?? id;
}

export function whyText(reason: Reason, region: string): string {
  switch (reason.kind) {
    case 'liked':
      return reason.strength === 'picked'
        ? `because you picked ${reason.title}`
        : `because you ${reason.strength} ${reason.title}`;
    case 'trending':
      return `trending on ${platformName(reason.platform)} in ${reason.region}`;
    case 'new':
      return `new on your services (${platformName(reason.platform)})`;
    case 'popular':
      return `popular on your services in ${region}`;
  }
}

function lookupOf(s: CatalogSnapshot): ContentLookup {
  return {
    content: s.items.content,
    offsetOf: (id) => {
      const i = s.items.index.get(id);
      return i === undefined ? -1 : i * CONTENT_DIM;
    },
  };
}

export const MAX_EVENTS_PER_BATCH = 500;
/** How far ahead of our clock an event's own time may be (device clocks drift a little). */
const MAX_EVENT_LEAD_MS = 5 * 60_000;

/**
 * SONA recommendations over the database: records events (idempotently), applies each to the
 * person's adapter at once and persists it, feeds the global trend adapter, and ranks what the
 * person can watch with a reason per title. Stateless apart from caches, so replicas can share a
 * PostgreSQL database: adapters are read and written per request under a row lock.
 */
/**
 * Search already orders by relevance and popularity; the person's affinity adds their taste only
 * (co-watching, what they watch next, content), not the popularity prior that carries short histories.
 */
const TASTE_ONLY: RankWeights = { ...DEFAULT_WEIGHTS, prior: 0, collabPrior: 0 };

export class RecommenderService {
  private readonly snapshots: SnapshotHolder;
  private readonly trends = new TrendStore();

  private readonly clock: Clock;
  private readonly observe: ((stage: 'score' | 'total', seconds: number) => void) | undefined;

  constructor(
    private readonly db: Db,
    options: { clock?: Clock; observe?: (stage: 'score' | 'total', seconds: number) => void } = {},
  ) {
    this.clock = options.clock ?? systemClock();
    this.observe = options.observe;
    this.snapshots = new SnapshotHolder(db, this.clock);
  }

  async loadAdapter(q: Queryable, userId: string, lock = false): Promise<UserAdapter> {
    const { rows } = await q.query<{ state: Uint8Array }>(
      `SELECT state FROM rec_user_state WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [userId],
    );
    const bytes = rows[0]?.state;
    return (bytes && bytes.length > 0 ? decodeAdapter(userId, bytes) : undefined) ?? new UserAdapter(userId);
  }

  async recordEvents(
    userId: string,
    audience: Audience,
    events: readonly EventInput[],
  ): Promise<{ accepted: string[]; duplicates: string[] }> {
    if (events.length === 0) return { accepted: [], duplicates: [] };
    if (events.length > MAX_EVENTS_PER_BATCH)
      throw new DomainError('PAYLOAD_TOO_LARGE', `At most ${MAX_EVENTS_PER_BATCH} events per request.`, {
        limit: MAX_EVENTS_PER_BATCH,
      });
    const titleIds = [...new Set(events.map((e) => e.titleId))];
    const { rows: found } = await this.db.query<{ id: string }>('SELECT id FROM titles WHERE id = ANY($1)', [titleIds]);
    const known = new Set(found.map((r) => r.id));
    const now = this.clock.now();
    const issues = events.flatMap((e, i) => [
      ...(known.has(e.titleId) ? [] : [{ path: `body.events.${i}.titleId`, message: `no title with id ${e.titleId}` }]),
      ...(e.at && Date.parse(e.at) > now + MAX_EVENT_LEAD_MS
        ? [{ path: `body.events.${i}.at`, message: 'must not be in the future' }]
        : []),
    ]);
    if (issues.length)
      throw new DomainError('INVALID_INPUT', issues.map((x) => `${x.path}: ${x.message}`).join('; '), { issues });
    const snapshot = await this.snapshots.get();
    const trendRows: TrendContribution[] = [];
    const result = await this.db.transaction(async (tx) => {
      await tx.query(
        "INSERT INTO rec_user_state (user_id, state) VALUES ($1, '\\x'::bytea) ON CONFLICT (user_id) DO NOTHING",
        [userId],
      );
      const adapter = await this.loadAdapter(tx, userId, true);
      const { rows } = await tx.query<{ client_event_id: string }>(
        `INSERT INTO rec_events (user_id, client_event_id, type, title_id, value, context, occurred_at)
         SELECT $1, e.id, e.type, e.title_id, e.value, e.context::jsonb, e.at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::real[], $6::text[], $7::timestamptz[])
           AS e(id, type, title_id, value, context, at)
         ON CONFLICT (user_id, client_event_id) DO NOTHING RETURNING client_event_id`,
        [
          userId,
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => e.titleId),
          events.map((e) => e.value ?? null),
          events.map((e) => JSON.stringify(e.context ?? {})),
          events.map((e) => (e.at ? new Date(e.at) : new Date(now))),
        ],
      );
      const inserted = new Set(rows.map((r) => r.client_event_id));
      const fresh = events
        .filter((e) => inserted.has(e.id))
        .map((e) => ({ ...e, ms: e.at ? Date.parse(e.at) : now }))
        .sort((a, b) => a.ms - b.ms);
      const lookup = lookupOf(snapshot);
      const platforms = snapshot.availability.platforms(audience.region, audience.services);
      for (const e of fresh) {
        // A person adds to a title's trend only the rise of their own (capped) interest in it, so
        // one person can never make something "trending" alone, however many events they send.
        const before = Math.max(0, adapter.history.get(e.titleId)?.weight ?? 0);
        adapter.update({ type: e.type, titleId: e.titleId, value: e.value, at: e.ms }, lookup);
        const w = Math.max(0, adapter.history.get(e.titleId)?.weight ?? 0) - before;
        const i = snapshot.items.index.get(e.titleId);
        if (w > 0 && i !== undefined) {
          const carriers = snapshot.availability.carriers(i, audience.region, platforms);
          for (const platform of carriers)
            trendRows.push({ region: audience.region, platform, titleId: e.titleId, weight: w, at: e.ms });
        }
      }
      if (fresh.length > 0) {
        await tx.query('UPDATE rec_user_state SET state = $2, events = $3, updated_at = $4 WHERE user_id = $1', [
          userId,
          encodeAdapter(adapter),
          adapter.events,
          new Date(now),
        ]);
        await this.trends.record(tx, trendRows);
      }
      return {
        accepted: fresh.map((e) => e.id),
        duplicates: events.filter((e) => !inserted.has(e.id)).map((e) => e.id),
      };
    });
    return result;
  }

  async recommend(
    userId: string,
    audience: Audience,
    options: {
      limit: number;
      context?: RankContext;
      now?: number;
      stats?: { scored: number };
      /** Titles not to recommend now (the ones the person is in the middle of: "Continue watching" has them). */
      exclude?: readonly string[];
    },
  ): Promise<Recommendation[]> {
    const started = performance.now();
    const snapshot = await this.snapshots.get();
    const adapter = await this.loadAdapter(this.db, userId);
    const now = options.now ?? this.clock.now();
    const { items, availability } = snapshot;
    const platforms = availability.platforms(audience.region, audience.services);
    const trendCells = await this.trends.scores(this.db, audience.region, platforms, now);
    const trend = new Map<number, number>();
    const trendWhere = new Map<number, string>();
    for (const [id, t] of trendCells) {
      const i = items.index.get(id);
      if (i === undefined) continue;
      trend.set(i, t.score / (t.score + 4));
      trendWhere.set(i, t.platform);
    }
    const scoreStarted = performance.now();
    const ranked = rank({
      items,
      collab: snapshot.collab,
      sequence: snapshot.sequence,
      adapter,
      seeds: audience.onboardingPicks,
      allowed: withoutTitles(availability.allowed(audience.region, audience.services), items.index, options.exclude),
      trend: {
        score: trend,
        where: (i) => ({ platform: trendWhere.get(i) ?? platforms[0] ?? '', region: audience.region }),
      },
      fresh: availability.fresh(audience.region, platforms, now),
      context: options.context,
      now,
      limit: options.limit,
      stats: options.stats,
    });
    this.observe?.('score', (performance.now() - scoreStarted) / 1000);
    const out = ranked.map((r) => ({
      titleId: items.ids[r.index]!,
      score: Math.round(r.score * 1e4) / 1e4,
      reason: r.reason,
      why: whyText(r.reason, audience.region),
      platforms: availability.carriers(r.index, audience.region, platforms),
    }));
    this.observe?.('total', (performance.now() - started) / 1000);
    return out;
  }

  /**
   * How well each of `titleIds` fits the person's taste: the ranker's score (collaborative, content
   * and prior; no trend, freshness or availability), for search's personal ranking (decision 0056).
   * Empty when the person has no history yet, so nothing is reordered for a stranger.
   */
  async affinity(userId: string, titleIds: readonly string[]): Promise<Map<string, number>> {
    const adapter = await this.loadAdapter(this.db, userId);
    if (adapter.history.size === 0) return new Map();
    const { items, collab, sequence } = await this.snapshots.get();
    const allowed = new Uint8Array(items.size);
    let n = 0;
    for (const id of titleIds) {
      const i = items.index.get(id);
      if (i !== undefined && allowed[i] === 0) {
        allowed[i] = 1;
        n++;
      }
    }
    if (n === 0) return new Map();
    const ranked = rank({
      items,
      collab,
      sequence,
      adapter,
      allowed,
      now: this.clock.now(),
      limit: n,
      exhaustive: true,
      excludeSeen: false,
      explain: false,
      weights: TASTE_ONLY,
    });
    return new Map(ranked.map((r) => [items.ids[r.index]!, r.score]));
  }

  /** Titles like `titleId` by content and co-interaction; optionally only what `audience` can watch. */
  async similar(
    titleId: string,
    options: { limit: number; audience?: Audience | undefined },
  ): Promise<Array<{ titleId: string; score: number; why: string | null; sharedGenres: string[] }>> {
    const snapshot = await this.snapshots.get();
    const { items, collab } = snapshot;
    const i = items.index.get(titleId);
    if (i === undefined)
      throw new DomainError('NOT_FOUND', `No title with id ${titleId}.`, { resource: 'title', id: titleId });
    const allowed = options.audience
      ? snapshot.availability.allowed(options.audience.region, options.audience.services)
      : undefined;
    const scores = new Float32Array(items.size);
    collab?.addRow(i, 1, scores);
    const c = items.content;
    for (let j = 0; j < items.size; j++) {
      if (j === i || (allowed && allowed[j] !== 1)) {
        scores[j] = Number.NEGATIVE_INFINITY;
        continue;
      }
      let s = 0;
      for (let d = 0; d < CONTENT_DIM; d++) s += c[i * CONTENT_DIM + d]! * c[j * CONTENT_DIM + d]!;
      scores[j]! += s + 0.02 * items.prior[j]!;
    }
    return topK(scores, options.limit).map((j) => {
      const shared = items.genres[j]!.filter((g) => items.genres[i]!.includes(g));
      const co = collab?.weight(i, j) ?? 0;
      const why = similarWhy(items, i, j, co, shared);
      return { titleId: items.ids[j]!, score: Math.round(scores[j]! * 1e4) / 1e4, why, sharedGenres: shared };
    });
  }

  /** The worker job; serving picks the new model up on its next freshness check. */
  async retrain(): Promise<TrainStats> {
    const stats = await trainAndStore(this.db);
    this.snapshots.invalidate();
    return stats;
  }
}

/**
 * Why j is like i, saying only what the data holds: people who liked both, shared genres, shared
 * directors or cast, the same decade; null when none of these overlap (then nothing is claimed).
 */
export function similarWhy(items: ItemTable, i: number, j: number, co: number, sharedGenres: string[]): string | null {
  const name = items.titles[i];
  if (co > 0.05) return `people who liked ${name} also liked it`;
  if (sharedGenres.length) return `like ${name}: ${sharedGenres.join(', ')}`;
  const people = items.people[j]!.filter((p) => items.people[i]!.includes(p));
  if (people.length) return `also with ${people.slice(0, 2).join(' and ')}, like ${name}`;
  const decade = items.decade[i]!;
  if (decade > 0 && decade === items.decade[j]) return `from the ${decade * 10}s, like ${name}`;
  return null;
}

/** `allowed` with `titleIds` cleared: a copy, since the availability index shares its arrays between requests. */
function withoutTitles(
  allowed: Uint8Array,
  index: ReadonlyMap<string, number>,
  titleIds: readonly string[] | undefined,
): Uint8Array {
  if (!titleIds?.length) return allowed;
  const out = allowed.slice();
  for (const id of titleIds) {
    const i = index.get(id);
    if (i !== undefined) out[i] = 0;
  }
  return out;
}
