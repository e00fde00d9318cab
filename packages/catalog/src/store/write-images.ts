import type { Queryable } from '@media-gateway/db';
import { imageRefFromUrl, type SourceImage } from '@media-gateway/domain';
import type { StoredOffer } from './offer-links.ts';

/** What write-batch hands over: a changed record's key, its images and its offers. */
export interface ImageChange {
  record: { sourceKey: string; images?: SourceImage[] | undefined };
  offers: StoredOffer[];
}

/**
 * Stores the artwork of changed records (decision 0109), one row per record and kind: a record's
 * new images replace its old ones (kinds it no longer gives are removed) and a re-ingested record
 * updates its rows, never adds any. `seenAt` only ever moves forward (an older snapshot does not
 * make an image look older), as for offers.
 */
export async function writeTitleImages(
  tx: Queryable,
  source: string,
  changes: ImageChange[],
  seenAt: Date | null,
): Promise<void> {
  if (changes.length === 0) return;
  const rows: Array<Record<string, unknown>> = [];
  for (const c of changes) {
    const kinds = new Set<string>();
    for (const image of c.record.images ?? []) {
      // One image per kind and record: the first a source listed.
      if (kinds.has(image.kind)) continue;
      kinds.add(image.kind);
      rows.push({
        source_key: c.record.sourceKey,
        kind: image.kind,
        image_source: image.source,
        ref: image.ref,
        variants: image.variants ?? null,
        attribution: image.attribution,
      });
    }
  }
  await tx.query(
    `DELETE FROM title_images i WHERE i.source = $1 AND i.source_key = ANY($2)
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS r(source_key text, kind text)
                       WHERE r.source_key = i.source_key AND r.kind = i.kind)`,
    [source, changes.map((c) => c.record.sourceKey), JSON.stringify(rows)],
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO title_images (source, source_key, kind, image_source, ref, variants, attribution, seen_at)
     SELECT $1, r.source_key, r.kind, r.image_source, r.ref, r.variants, r.attribution, $3::timestamptz
     FROM jsonb_to_recordset($2::jsonb) AS r(source_key text, kind text, image_source text, ref text, variants jsonb,
       attribution text)
     ON CONFLICT (source, source_key, kind) DO UPDATE SET image_source = EXCLUDED.image_source, ref = EXCLUDED.ref,
       variants = EXCLUDED.variants, attribution = EXCLUDED.attribution,
       seen_at = GREATEST(title_images.seen_at, EXCLUDED.seen_at)`,
    [source, JSON.stringify(rows), seenAt],
  );
}

/** Unchanged records were seen again: so were their images. */
export async function touchTitleImages(
  tx: Queryable,
  source: string,
  unchangedKeys: string[],
  seenAt: Date | null,
): Promise<void> {
  if (unchangedKeys.length === 0 || !seenAt) return;
  await tx.query('UPDATE title_images SET seen_at = GREATEST(seen_at, $3) WHERE source = $1 AND source_key = ANY($2)', [
    source,
    unchangedKeys,
    seenAt,
  ]);
}

/**
 * Logos the offers of changed records carried, as references per provider and image source (a
 * logo URL off every source's image host is not kept). One row per pair, updated in place.
 */
export async function writeProviderLogos(tx: Queryable, changes: ImageChange[], seenAt: Date | null): Promise<void> {
  const logos = new Map<string, { provider_id: string; image_source: string; ref: string }>();
  for (const c of changes)
    for (const o of c.offers) {
      const ref = o.logoUrl ? imageRefFromUrl(o.logoUrl) : undefined;
      if (ref)
        logos.set(`${o.platform}|${ref.source}`, { provider_id: o.platform, image_source: ref.source, ref: ref.ref });
    }
  if (logos.size === 0) return;
  await tx.query(
    `INSERT INTO provider_logos (provider_id, image_source, ref, seen_at)
     SELECT r.provider_id, r.image_source, r.ref, $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r(provider_id text, image_source text, ref text)
     ON CONFLICT (provider_id, image_source) DO UPDATE SET ref = EXCLUDED.ref,
       seen_at = GREATEST(provider_logos.seen_at, EXCLUDED.seen_at)`,
    [JSON.stringify([...logos.values()]), seenAt],
  );
}
