import type { Queryable } from '@media-gateway/db';
import type { SourceRecord } from '@media-gateway/domain';
import { externalKeys, type Resolution } from '../resolve/resolver.ts';
import { mergeRecords } from '../resolve/merge-records.ts';
import { offerKey, type StoredOffer } from './offer-links.ts';

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
  web_url: string;
  url_kind: string;
  app_url: string | null;
  native_id: string | null;
  available_from: Date | null;
  available_until: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function sameOffer(row: OfferRow, o: StoredOffer, titleId: string): boolean {
  return row.title_id === titleId && row.price === o.price && row.currency === o.currency && row.quality === o.quality &&
    row.web_url === o.webUrl && row.url_kind === o.urlKind && row.app_url === o.appUrl && row.native_id === o.nativeId &&
    iso(row.available_from) === (o.availableFrom ? new Date(o.availableFrom).toISOString() : null) &&
    iso(row.available_until) === (o.availableUntil ? new Date(o.availableUntil).toISOString() : null);
}

/**
 * Writes one batch of changed records inside the caller's transaction: source records, new
 * titles, offers (with change events), external ids, and the recomputed canonical rows of every
 * title the batch touched.
 */
export async function writeBatch(tx: Queryable, source: string, changes: RecordChange[], unchangedKeys: string[]): Promise<BatchCounts> {
  const counts: BatchCounts = { titlesCreated: 0, titlesUpdated: 0, offersAdded: 0, offersRemoved: 0, offersChanged: 0 };
  if (unchangedKeys.length > 0) {
    await tx.query('UPDATE title_sources SET last_seen = now() WHERE source = $1 AND source_key = ANY($2)', [source, unchangedKeys]);
    await tx.query('UPDATE offers SET last_seen = now() WHERE source = $1 AND source_key = ANY($2)', [source, unchangedKeys]);
  }
  if (changes.length === 0) return counts;

  for (const c of changes.filter((c) => c.isNewTitle)) {
    const inserted = await tx.query(
      `INSERT INTO titles (id, kind, title, norm_title) VALUES ($1, $2, $3, '') ON CONFLICT (id) DO NOTHING`,
      [c.titleId, c.record.kind, c.record.title],
    );
    if (inserted.rowCount > 0) {
      counts.titlesCreated++;
      await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('title.created', $1, $2::jsonb)`, [c.titleId, JSON.stringify({ source })]);
    }
  }

  for (const c of changes) {
    await tx.query(
      `INSERT INTO title_sources (source, source_key, title_id, record, record_hash, method, confidence, reason)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
       ON CONFLICT (source, source_key) DO UPDATE SET title_id = EXCLUDED.title_id, record = EXCLUDED.record,
         record_hash = EXCLUDED.record_hash, method = EXCLUDED.method, confidence = EXCLUDED.confidence,
         reason = EXCLUDED.reason, last_seen = now()`,
      [source, c.record.sourceKey, c.titleId, JSON.stringify(c.record), c.hash, c.resolution.method, c.resolution.confidence, c.resolution.reason],
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
  for (const c of changes) {
    const seen = new Set<string>();
    for (const o of c.offers) {
      const key = `${c.record.sourceKey}|${offerKey(o)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const old = before.get(key);
      before.delete(key);
      if (old && sameOffer(old, o, c.titleId)) continue;
      await tx.query(
        `INSERT INTO offers (source, source_key, platform, region, monetization, title_id, price, currency, quality, web_url,
           url_kind, app_url, native_id, available_from, available_until)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
         ON CONFLICT (source, source_key, platform, region, monetization) DO UPDATE SET title_id = EXCLUDED.title_id,
           price = EXCLUDED.price, currency = EXCLUDED.currency, quality = EXCLUDED.quality, web_url = EXCLUDED.web_url,
           url_kind = EXCLUDED.url_kind, app_url = EXCLUDED.app_url, native_id = EXCLUDED.native_id,
           available_from = EXCLUDED.available_from, available_until = EXCLUDED.available_until, last_seen = now()`,
        [source, c.record.sourceKey, o.platform, o.region, o.monetization, c.titleId, o.price, o.currency, o.quality, o.webUrl,
          o.urlKind, o.appUrl, o.nativeId, o.availableFrom, o.availableUntil],
      );
      const payload = { source, platform: o.platform, region: o.region, monetization: o.monetization, price: o.price, currency: o.currency };
      if (!old) {
        counts.offersAdded++;
        await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('offer.added', $1, $2::jsonb)`, [c.titleId, JSON.stringify(payload)]);
      } else {
        counts.offersChanged++;
        if (old.price !== o.price) {
          await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('offer.price_changed', $1, $2::jsonb)`, [
            c.titleId, JSON.stringify({ ...payload, previousPrice: old.price }),
          ]);
        }
      }
    }
  }
  for (const old of before.values()) {
    await tx.query('DELETE FROM offers WHERE source = $1 AND source_key = $2 AND platform = $3 AND region = $4 AND monetization = $5', [
      source, old.source_key, old.platform, old.region, old.monetization,
    ]);
    counts.offersRemoved++;
    await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('offer.removed', $1, $2::jsonb)`, [
      old.title_id, JSON.stringify({ source, platform: old.platform, region: old.region, monetization: old.monetization }),
    ]);
  }

  // Recompute every touched canonical title from all of its source records.
  const touched = new Set<string>();
  for (const c of changes) {
    touched.add(c.titleId);
    if (c.previousTitleId && c.previousTitleId !== c.titleId) touched.add(c.previousTitleId);
  }
  counts.titlesUpdated += await recomputeTitles(tx, [...touched], new Set(changes.filter((c) => c.isNewTitle).map((c) => c.titleId)));
  return counts;
}

/** Rebuilds canonical rows and external ids for titles from their records; deletes titles left with none. */
export async function recomputeTitles(tx: Queryable, titleIds: string[], justCreated: Set<string> = new Set()): Promise<number> {
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
  for (const id of titleIds) {
    const records = byTitle.get(id);
    if (!records || records.length === 0) {
      await tx.query('DELETE FROM titles WHERE id = $1', [id]);
      await tx.query(`INSERT INTO catalog_events (type, title_id) VALUES ('title.deleted', $1)`, [id]);
      continue;
    }
    const m = mergeRecords(records);
    await tx.query(
      `UPDATE titles SET kind = $2, title = $3, original_title = $4, alternate_titles = $5, norm_title = $6, year = $7,
         runtime_minutes = $8, seasons = $9, genres = $10, maturity_label = $11, maturity_system = $12, maturity_min_age = $13,
         countries = $14, languages = $15, directors = $16, cast_members = $17, creators = $18, description = $19,
         description_source = $20, popularity = $21, updated_at = now() WHERE id = $1`,
      [id, m.kind, m.title, m.originalTitle, m.alternateTitles, m.normTitle, m.year, m.runtimeMinutes, m.seasons, m.genres,
        m.maturityLabel, m.maturitySystem, m.maturityMinAge, m.countries, m.languages, m.directors, m.cast, m.creators,
        m.description, m.descriptionSource, m.popularity],
    );
    for (const record of records) {
      for (const key of externalKeys(record)) {
        const at = key.indexOf(':');
        const namespace = key.startsWith('platform:') ? key.slice(0, key.indexOf(':', 9)) : key.slice(0, at);
        const value = key.slice(namespace.length + 1);
        await tx.query(
          'INSERT INTO external_ids (namespace, value, title_id, source) VALUES ($1, $2, $3, $4) ON CONFLICT (namespace, value) DO NOTHING',
          [namespace, value, id, record.source],
        );
      }
    }
    if (!justCreated.has(id)) {
      updated++;
      await tx.query(`INSERT INTO catalog_events (type, title_id) VALUES ('title.updated', $1)`, [id]);
    }
  }
  return updated;
}
