import { LIVE_SOURCES } from '@media-gateway/catalog';
import type { Queryable } from '@media-gateway/db';
import { type Candidate, DAY_MS, type HomeScope, WINDOW_DAYS } from './home-types.ts';

/** Rows read from the catalog alone: the same for everyone with the same region and services. */
export interface CatalogRows {
  /** Titles with a source popularity hint, most popular first (trends are merged in per request). */
  popularByHint: Candidate[];
  fresh: Candidate[];
  leaving: Candidate[];
  /** Every platform with an offer in the region (the trend lookup needs a list). */
  regionPlatforms: string[];
}

const CANDIDATES = 200;

/** `o` is on the person's platforms in the region and has not ended by $3. */
const ON_SCOPE = `o.region = $1 AND ($2::text[] IS NULL OR o.platform = ANY($2::text[]))
  AND (o.available_until IS NULL OR o.available_until > $3)`;

interface OfferHit {
  title_id: string;
  platform: string;
  source: string;
  monetization: string;
}

function toCandidates(rows: OfferHit[]): Candidate[] {
  return rows.map((r) => ({
    titleId: r.title_id,
    offer: { platform: r.platform, source: r.source, monetization: r.monetization },
  }));
}

/**
 * Titles on the scope's platforms ordered by the source's popularity hint (e.g. log10 of IMDb
 * votes). Titles without a hint are left out: without a signal, "popular" would be a guess.
 */
async function popularByHint(db: Queryable, scope: HomeScope, now: Date): Promise<Candidate[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT t.id FROM titles t
     WHERE t.popularity IS NOT NULL AND EXISTS (SELECT 1 FROM offers o WHERE o.title_id = t.id AND ${ON_SCOPE})
     ORDER BY t.popularity DESC, t.id LIMIT ${CANDIDATES}`,
    [scope.region, scope.platforms, now],
  );
  return rows.map((r) => ({ titleId: r.id }));
}

/**
 * Offers that appeared on a service within the last 30 days, by what truly dates the appearance:
 *  1. the source said so: `available_from` (a file's "date added", Streaming Availability's
 *     "available since") inside the window; or
 *  2. a live source first listed it inside the window (`first_seen`) after a full sweep of that
 *     same source had completed without it — so we were watching that catalog and it was not there.
 * An undated offer from a file or from a source's first sweep is never "new": its ingestion date
 * says when we imported a snapshot, not when the service added the title (decision 0107).
 */
async function freshOffers(db: Queryable, scope: HomeScope, now: Date): Promise<Candidate[]> {
  const since = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const { rows } = await db.query<OfferHit>(
    `SELECT o.title_id, o.platform, o.source, o.monetization FROM offers o
     WHERE ${ON_SCOPE} AND (
       (o.available_from > $4 AND o.available_from <= $3)
       OR (o.available_from IS NULL AND o.first_seen > $4 AND o.first_seen <= $3
           AND split_part(o.source, ':', 1) = ANY($5::text[])
           AND EXISTS (SELECT 1 FROM ingest_runs r WHERE r.source = o.source AND r.mode = 'full'
                       AND r.status = 'completed' AND r.finished_at <= o.first_seen)))
     ORDER BY coalesce(o.available_from, o.first_seen) DESC, o.title_id LIMIT ${CANDIDATES}`,
    [scope.region, scope.platforms, now, since, [...LIVE_SOURCES]],
  );
  return toCandidates(rows);
}

/**
 * Offers whose source gave a leave date within the next 30 days. Only a source's own date counts
 * (Streaming Availability's "expires on"); an offer closed by a sweep already ended, and with no
 * date there is nothing honest to say, so the row is left out. A title another source still lists on that service
 * with no end date (or a later one) is not leaving: the same rule as the leaving alerts and the calendar feed.
 */
async function leavingOffers(db: Queryable, scope: HomeScope, now: Date): Promise<Candidate[]> {
  const until = new Date(now.getTime() + WINDOW_DAYS * DAY_MS);
  const { rows } = await db.query<OfferHit>(
    `SELECT o.title_id, o.platform, o.source, o.monetization FROM offers o
     WHERE ${ON_SCOPE} AND o.available_until <= $4
       AND NOT EXISTS (SELECT 1 FROM offers k WHERE k.title_id = o.title_id AND k.platform = o.platform
                       AND k.region = o.region AND (k.available_until IS NULL OR k.available_until > $4))
     ORDER BY o.available_until, o.title_id LIMIT ${CANDIDATES}`,
    [scope.region, scope.platforms, now, until],
  );
  return toCandidates(rows);
}

export async function loadCatalogRows(db: Queryable, scope: HomeScope, nowMs: number): Promise<CatalogRows> {
  const now = new Date(nowMs);
  const [popular, fresh, leaving, platforms] = await Promise.all([
    popularByHint(db, scope, now),
    freshOffers(db, scope, now),
    leavingOffers(db, scope, now),
    db.query<{ platform: string }>('SELECT DISTINCT platform FROM offers WHERE region = $1 ORDER BY platform', [
      scope.region,
    ]),
  ]);
  return { popularByHint: popular, fresh, leaving, regionPlatforms: platforms.rows.map((r) => r.platform) };
}
