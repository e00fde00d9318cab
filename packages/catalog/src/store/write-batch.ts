import type { Queryable } from '@media-gateway/db';
import { instrument, type SourceRecord } from '@media-gateway/domain';
import { externalKeys, type Resolution } from '../resolve/resolver.ts';
import { mergeRecords } from '../resolve/merge-records.ts';
import { offerKey, type StoredOffer } from './offer-links.ts';
import { touchTitleImages, writeProviderLogos, writeTitleImages } from './write-images.ts';

export interface RecordChange {
  record: SourceRecord;
  hash: string;
  titleId: string;
  isNewTitle: boolean;
  previousTitleId: string | undefined;
  resolution: Resolution;
  offers: StoredOffer[];
}

export interface BatchCounts {
  titlesCreated: number;
  titlesUpdated: number;
  offersAdded: number;
  offersRemoved: number;
  offersChanged: number;
}

interface OfferRow {
  source_key: string;
  platform: string;
  region: string;
  monetization: string;
  title_id: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  web_url: string | null;
  url_kind: string;
  app_url: string | null;
  native_id: string | null;
  available_from: Date | null;
  available_until: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface EventRow {
  type: string;
  titleId: string;
  payload: Record<string, unknown>;
}

/** Appends change events (the feed search and recommendation indexes follow) in one statement. */
async function insertEvents(tx: Queryable, events: EventRow[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO catalog_events (type, title_id, payload)
     SELECT r.type, r.title_id, r.payload
     FROM jsonb_to_recordset($1::jsonb) AS r(type text, title_id text, payload jsonb)`,
    [JSON.stringify(events.map((e) => ({ type: e.type, title_id: e.titleId, payload: e.payload })))],
  );
}

function sameOffer(row: OfferRow, o: StoredOffer, titleId: string): boolean {
  return (
    row.title_id === titleId &&
    row.price === o.price &&
    row.currency === o.currency &&
    row.quality === o.quality &&
    row.web_url === o.webUrl &&
    row.url_kind === o.urlKind &&
    row.app_url === o.appUrl &&
    row.native_id === o.nativeId &&
    iso(row.available_from) === (o.availableFrom ? new Date(o.availableFrom).toISOString() : null) &&
    iso(row.available_until) === (o.availableUntil ? new Date(o.availableUntil).toISOString() : null)
  );
}

/** One batch in one span (`ingest.batch`) when tracing is on; see writeBatchNow. */
export function writeBatch(
  tx: Queryable,
  source: string,
  changes: RecordChange[],
  unchangedKeys: string[],
  seenAt: Date | null = null,
): Promise<BatchCounts> {
  return instrument().span(
    'ingest.batch',
    { source, 'ingest.changes': changes.length, 'ingest.unchanged': unchangedKeys.length },
    () => writeBatchNow(tx, source, changes, unchangedKeys, seenAt),
  );
}

/**
 * Writes one batch of changed records inside the caller's transaction: source records, new
 * titles, offers (with change events), external ids, and the recomputed canonical rows of every
 * title the batch touched.
 */
async function writeBatchNow(
  tx: Queryable,
  source: string,
  changes: RecordChange[],
  unchangedKeys: string[],
  /** When the source saw these offers; null = unknown (kept as it was, never made newer). */
  seenAt: Date | null = null,
): Promise<BatchCounts> {
  const counts: BatchCounts = {
    titlesCreated: 0,
    titlesUpdated: 0,
    offersAdded: 0,
    offersRemoved: 0,
    offersChanged: 0,
  };
  if (unchangedKeys.length > 0) {
    await tx.query('UPDATE title_sources SET last_seen = now() WHERE source = $1 AND source_key = ANY($2)', [
      source,
      unchangedKeys,
    ]);
    await tx.query(
      'UPDATE offers SET last_seen = now(), seen_at = GREATEST(seen_at, $3) WHERE source = $1 AND source_key = ANY($2)',
      [source, unchangedKeys, seenAt],
    );
    await touchTitleImages(tx, source, unchangedKeys, seenAt);
  }
  if (changes.length === 0) return counts;

  // Writes go as one statement per table per batch: rows travel as a JSON array expanded by
  // jsonb_to_recordset, which keeps PGlite and PostgreSQL on the same SQL and avoids a round trip per row.
  const newTitles = changes
    .filter((c) => c.isNewTitle)
    .map((c) => ({ id: c.titleId, kind: c.record.kind, title: c.record.title }));
  if (newTitles.length > 0) {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO titles (id, kind, title, norm_title)
       SELECT id, kind, title, '' FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, title text)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(newTitles)],
    );
    counts.titlesCreated += inserted.rows.length;
    await insertEvents(
      tx,
      inserted.rows.map((r) => ({ type: 'title.created', titleId: r.id, payload: { source } })),
    );
  }

  await tx.query(
    `INSERT INTO title_sources (source, source_key, title_id, record, record_hash, method, confidence, reason)
     SELECT $1, r.source_key, r.title_id, r.record, r.record_hash, r.method, r.confidence, r.reason
     FROM jsonb_to_recordset($2::jsonb)
       AS r(source_key text, title_id text, record jsonb, record_hash text, method text, confidence real, reason text)
     ON CONFLICT (source, source_key) DO UPDATE SET title_id = EXCLUDED.title_id, record = EXCLUDED.record,
       record_hash = EXCLUDED.record_hash, method = EXCLUDED.method, confidence = EXCLUDED.confidence,
       reason = EXCLUDED.reason, last_seen = now()`,
    [
      source,
      JSON.stringify(
        changes.map((c) => ({
          source_key: c.record.sourceKey,
          title_id: c.titleId,
          record: c.record,
          record_hash: c.hash,
          method: c.resolution.method,
          confidence: c.resolution.confidence,
          reason: c.resolution.reason,
        })),
      ),
    ],
  );

  // Artwork and provider logos as references (after title_sources: images belong to a record).
  await writeTitleImages(tx, source, changes, seenAt);
  await writeProviderLogos(tx, changes, seenAt);

  // Providers the registry does not know: kept under the name and logo the source reported.
  const reported = new Map<string, { id: string; name: string; logo_url: string | null }>();
  for (const c of changes)
    for (const o of c.offers)
      if (o.reported) reported.set(o.platform, { id: o.platform, name: o.reported.name, logo_url: o.reported.logoUrl });
  if (reported.size > 0) {
    await tx.query(
      `INSERT INTO providers (id, name, source, logo_url)
       SELECT r.id, r.name, $1, r.logo_url FROM jsonb_to_recordset($2::jsonb) AS r(id text, name text, logo_url text)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, logo_url = coalesce(EXCLUDED.logo_url, providers.logo_url),
         last_seen = now()`,
      [source, JSON.stringify([...reported.values()])],
    );
  }

  // Offers: diff against what this source said before for the same records.
  const keys = changes.map((c) => c.record.sourceKey);
  const existing = await tx.query<OfferRow>(
    `SELECT source_key, platform, region, monetization, title_id, price, currency, quality, web_url, url_kind, app_url,
            native_id, available_from, available_until FROM offers WHERE source = $1 AND source_key = ANY($2)`,
    [source, keys],
  );
  const before = new Map(existing.rows.map((r) => [`${r.source_key}|${offerKey(r)}`, r]));
  const upserts: Array<Record<string, unknown>> = [];
  const events: EventRow[] = [];
  for (const c of changes) {
    const seen = new Set<string>();
    for (const o of c.offers) {
      const key = `${c.record.sourceKey}|${offerKey(o)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const old = before.get(key);
      before.delete(key);
      if (old && sameOffer(old, o, c.titleId)) continue;
      upserts.push({
        source_key: c.record.sourceKey,
        platform: o.platform,
        region: o.region,
        monetization: o.monetization,
        title_id: c.titleId,
        price: o.price,
        currency: o.currency,
        quality: o.quality,
        web_url: o.webUrl,
        url_kind: o.urlKind,
        app_url: o.appUrl,
        native_id: o.nativeId,
        available_from: o.availableFrom,
        available_until: o.availableUntil,
      });
      const payload = {
        source,
        platform: o.platform,
        region: o.region,
        monetization: o.monetization,
        price: o.price,
        currency: o.currency,
      };
      if (!old) {
        counts.offersAdded++;
        events.push({ type: 'offer.added', titleId: c.titleId, payload });
      } else {
        counts.offersChanged++;
        if (old.price !== o.price)
          events.push({
            type: 'offer.price_changed',
            titleId: c.titleId,
            payload: { ...payload, previousPrice: old.price },
          });
      }
    }
  }
  if (upserts.length > 0) {
    await tx.query(
      `INSERT INTO offers (source, source_key, platform, region, monetization, title_id, price, currency, quality,
         web_url, url_kind, app_url, native_id, available_from, available_until, seen_at)
       SELECT $1, r.source_key, r.platform, r.region, r.monetization, r.title_id, r.price, r.currency, r.quality,
         r.web_url, r.url_kind, r.app_url, r.native_id, r.available_from, r.available_until, $3::timestamptz
       FROM jsonb_to_recordset($2::jsonb) AS r(source_key text, platform text, region text, monetization text,
         title_id text, price double precision, currency text, quality text, web_url text, url_kind text,
         app_url text, native_id text,
         available_from timestamptz, available_until timestamptz)
       ON CONFLICT (source, source_key, platform, region, monetization) DO UPDATE SET title_id = EXCLUDED.title_id,
         price = EXCLUDED.price, currency = EXCLUDED.currency, quality = EXCLUDED.quality, web_url = EXCLUDED.web_url,
         url_kind = EXCLUDED.url_kind, app_url = EXCLUDED.app_url, native_id = EXCLUDED.native_id,
         available_from = EXCLUDED.available_from, available_until = EXCLUDED.available_until, last_seen = now(),
         seen_at = GREATEST(offers.seen_at, EXCLUDED.seen_at)`,
      [source, JSON.stringify(upserts), seenAt],
    );
  }
  for (const old of before.values()) {
    await tx.query(
      'DELETE FROM offers WHERE source = $1 AND source_key = $2 ' +
        'AND platform = $3 AND region = $4 AND monetization = $5',
      [source, old.source_key, old.platform, old.region, old.monetization],
    );
    counts.offersRemoved++;
    events.push({
      type: 'offer.removed',
      titleId: old.title_id,
      payload: { source, platform: old.platform, region: old.region, monetization: old.monetization },
    });
  }
  await insertEvents(tx, events);

  // Recompute every touched canonical title from all of its source records.
  const touched = new Set<string>();
  for (const c of changes) {
    touched.add(c.titleId);
    if (c.previousTitleId && c.previousTitleId !== c.titleId) touched.add(c.previousTitleId);
  }
  counts.titlesUpdated += await recomputeTitles(
    tx,
    [...touched],
    new Set(changes.filter((c) => c.isNewTitle).map((c) => c.titleId)),
  );
  return counts;
}

/** Rebuilds canonical rows and external ids for titles from their records; deletes titles left with none. */
export async function recomputeTitles(
  tx: Queryable,
  titleIds: string[],
  justCreated: Set<string> = new Set(),
): Promise<number> {
  if (titleIds.length === 0) return 0;
  const rows = await tx.query<{ title_id: string; record: SourceRecord }>(
    'SELECT title_id, record FROM title_sources WHERE title_id = ANY($1)',
    [titleIds],
  );
  const byTitle = new Map<string, SourceRecord[]>();
  for (const r of rows.rows) {
    const list = byTitle.get(r.title_id) ?? [];
    list.push(r.record);
    byTitle.set(r.title_id, list);
  }
  let updated = 0;
  await tx.query('DELETE FROM external_ids WHERE title_id = ANY($1)', [titleIds]);
  const rowsOut: Array<Record<string, unknown>> = [];
  const ids: Array<{ namespace: string; value: string; title_id: string; source: string }> = [];
  const events: EventRow[] = [];
  const orphans: string[] = [];
  for (const id of titleIds) {
    const records = byTitle.get(id);
    if (!records || records.length === 0) {
      orphans.push(id);
      continue;
    }
    const m = mergeRecords(records);
    rowsOut.push({
      id,
      kind: m.kind,
      title: m.title,
      original_title: m.originalTitle,
      alternate_titles: m.alternateTitles,
      norm_title: m.normTitle,
      year: m.year,
      runtime_minutes: m.runtimeMinutes,
      seasons: m.seasons,
      genres: m.genres,
      maturity_label: m.maturityLabel,
      maturity_system: m.maturitySystem,
      maturity_min_age: m.maturityMinAge,
      countries: m.countries,
      languages: m.languages,
      directors: m.directors,
      cast_members: m.cast,
      creators: m.creators,
      description: m.description,
      description_source: m.descriptionSource,
      popularity: m.popularity,
    });
    for (const record of records) {
      for (const key of externalKeys(record)) {
        const namespace = key.startsWith('platform:')
          ? key.slice(0, key.indexOf(':', 9))
          : key.slice(0, key.indexOf(':'));
        ids.push({ namespace, value: key.slice(namespace.length + 1), title_id: id, source: record.source });
      }
    }
    if (!justCreated.has(id)) {
      updated++;
      events.push({ type: 'title.updated', titleId: id, payload: {} });
    }
  }
  if (orphans.length > 0) {
    await tx.query('DELETE FROM titles WHERE id = ANY($1)', [orphans]);
    for (const id of orphans) events.push({ type: 'title.deleted', titleId: id, payload: {} });
  }
  if (rowsOut.length > 0) {
    await tx.query(
      `UPDATE titles t SET kind = r.kind, title = r.title, original_title = r.original_title,
         alternate_titles = r.alternate_titles, norm_title = r.norm_title, year = r.year,
         runtime_minutes = r.runtime_minutes, seasons = r.seasons, genres = r.genres,
         maturity_label = r.maturity_label, maturity_system = r.maturity_system, maturity_min_age = r.maturity_min_age,
         countries = r.countries, languages = r.languages, directors = r.directors, cast_members = r.cast_members,
         creators = r.creators, description = r.description, description_source = r.description_source,
         popularity = r.popularity, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, title text, original_title text,
         alternate_titles text[], norm_title text, year int, runtime_minutes int, seasons int, genres text[],
         maturity_label text, maturity_system text, maturity_min_age int, countries text[], languages text[],
         directors text[], cast_members text[], creators text[], description text, description_source text,
         popularity real)
       WHERE t.id = r.id`,
      [JSON.stringify(rowsOut)],
    );
  }
  if (ids.length > 0) {
    await tx.query(
      `INSERT INTO external_ids (namespace, value, title_id, source)
       SELECT namespace, value, title_id, source
       FROM jsonb_to_recordset($1::jsonb) AS r(namespace text, value text, title_id text, source text)
       ON CONFLICT (namespace, value) DO NOTHING`,
      [JSON.stringify(ids)],
    );
  }
  await insertEvents(tx, events);
  return updated;
}
