import type { Queryable } from '@media-gateway/db';
import { getPlatform } from '@media-gateway/domain';
import type { OfferView, TitleView } from '@media-gateway/domain/contracts';
import { offerAttribution } from '../sources/live-sources.ts';
import { SAMPLE_DATA, SAMPLE_SOURCE } from '../sample-constants.ts';
import { loadTitleImages } from './title-images.ts';
import { TITLE_COLUMNS, type TitleRow, toSummary } from './title-row.ts';

import { DEFAULT_STALENESS, offerAge, STALE_AFTER_DAYS, type StalenessPolicy, staleAfterDays } from './offer-age.ts';

export { STALE_AFTER_DAYS };

/** The wire shapes are the API's contracts (`@media-gateway/domain/contracts`); these names stay for callers. */
export type { OfferView, TitleView as TitleDetails } from '@media-gateway/domain/contracts';

interface OfferRow {
  platform: string;
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  web_url: string | null;
  url_kind: 'direct' | 'search' | 'none';
  /** The name a source reported, for a provider the registry does not know. */
  provider_name: string | null;
  app_url: string | null;
  available_from: Date | null;
  available_until: Date | null;
  source: string;
  seen_at: Date | null;
}

export async function loadOffers(
  db: Queryable,
  titleIds: string[],
  region?: string,
  /** "Now" from the caller's clock: offers ended before it are left out, and staleness is judged from it. */
  now: number = Date.now(),
  staleness: StalenessPolicy = DEFAULT_STALENESS,
): Promise<Map<string, OfferView[]>> {
  const out = new Map<string, OfferView[]>();
  if (titleIds.length === 0) return out;
  const rows = await db.query<OfferRow & { title_id: string }>(
    `SELECT o.title_id, o.platform, o.region, o.monetization, o.price, o.currency, o.quality, o.web_url, o.url_kind,
            o.app_url, o.available_from, o.available_until, o.source, o.seen_at, p.name AS provider_name
     FROM offers o LEFT JOIN providers p ON p.id = o.platform
     WHERE o.title_id = ANY($1) AND ($2::text IS NULL OR o.region = $2)
       AND (o.available_until IS NULL OR o.available_until > $3)
     ORDER BY o.region, o.platform, o.monetization`,
    [titleIds, region ?? null, new Date(now)],
  );
  for (const r of rows.rows) {
    const list = out.get(r.title_id) ?? [];
    const attribution = offerAttribution(r.source);
    list.push({
      platform: r.platform,
      platformName: getPlatform(r.platform)?.name ?? r.provider_name ?? r.platform,
      region: r.region,
      monetization: r.monetization,
      price: r.price,
      currency: r.currency,
      quality: r.quality,
      url: r.web_url,
      urlKind: r.url_kind,
      appUrl: r.app_url,
      availableFrom: r.available_from?.toISOString() ?? null,
      availableUntil: r.available_until?.toISOString() ?? null,
      source: r.source,
      lastSeen: r.seen_at?.toISOString() ?? null,
      ...ageOf(r.seen_at, now, staleAfterDays(r.source, staleness)),
      ...(attribution ? { attribution } : {}),
    });
    out.set(r.title_id, list);
  }
  return out;
}

/** One canonical title with offers grouped by region and platform, provenance and resolution confidence. */
export async function getTitle(
  db: Queryable,
  id: string,
  options: { region?: string; now?: number; staleness?: StalenessPolicy } = {},
): Promise<TitleView | undefined> {
  // One round trip for the title, its ids and its provenance; offers are a second query.
  type Row = TitleRow & {
    ids: Array<{ namespace: string; value: string }>;
    sources: Array<{
      source: string;
      source_key: string;
      method: string;
      confidence: number;
      reason: string;
      first_seen: string;
      last_seen: string;
    }>;
  };
  const res = await db.query<Row>(
    `SELECT ${TITLE_COLUMNS},
       (SELECT coalesce(jsonb_agg(jsonb_build_object('namespace', e.namespace, 'value', e.value)
                 ORDER BY e.namespace), '[]'::jsonb)
          FROM external_ids e WHERE e.title_id = t.id) AS ids,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('source', s.source, 'source_key', s.source_key, 'method', s.method,
                 'confidence', s.confidence, 'reason', s.reason, 'first_seen', s.first_seen, 'last_seen', s.last_seen)
                 ORDER BY s.first_seen, s.source, s.source_key), '[]'::jsonb)
          FROM title_sources s WHERE s.title_id = t.id) AS sources
     FROM titles t WHERE t.id = $1`,
    [id],
  );
  const r = res.rows[0];
  if (!r) return undefined;
  const [offers, images] = await Promise.all([
    loadOffers(db, [id], options.region, options.now, options.staleness),
    loadTitleImages(db, [id]),
  ]);
  const ids = { rows: r.ids };
  const sources = {
    rows: r.sources.map((s) => ({ ...s, first_seen: new Date(s.first_seen), last_seen: new Date(s.last_seen) })),
  };
  const grouped: Record<string, Record<string, OfferView[]>> = {};
  for (const o of offers.get(id) ?? []) {
    const byPlatform = grouped[o.region] ?? {};
    grouped[o.region] = byPlatform;
    const list = byPlatform[o.platform] ?? [];
    byPlatform[o.platform] = list;
    list.push(o);
  }
  const externalIds: Record<string, string> = {};
  for (const row of ids.rows) externalIds[row.namespace] = row.value;
  const provenance = sources.rows.map((s) => ({
    source: s.source,
    sourceKey: s.source_key,
    method: s.method,
    confidence: s.confidence,
    reason: s.reason,
    firstSeen: s.first_seen.toISOString(),
    lastSeen: s.last_seen.toISOString(),
  }));
  return {
    ...toSummary(r),
    originalTitle: r.original_title,
    alternateTitles: r.alternate_titles,
    countries: r.countries,
    languages: r.languages,
    people: { directors: r.directors, cast: r.cast_members, creators: r.creators },
    description: r.description ? { text: r.description, source: r.description_source ?? 'unknown' } : null,
    externalIds,
    images: images.get(id) ?? [],
    offers: grouped,
    provenance,
    resolution: {
      sources: provenance.length,
      confidence: provenance.reduce((min, p) => Math.min(min, p.confidence), 1),
    },
    sampleData: provenance.some((p) => p.source === SAMPLE_SOURCE)
      ? {
          ...SAMPLE_DATA,
        }
      : null,
  };
}

function ageOf(seenAt: Date | null, now: number, staleDays: number): { age: string; isStale: boolean } {
  const { label, isStale } = offerAge(seenAt, now, staleDays);
  return { age: label, isStale };
}
