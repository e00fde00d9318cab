import type { Queryable } from '@media-gateway/db';
import {
  getPlatform,
  IMAGE_SIZES,
  type ImageKind,
  type ImageRef,
  type ImageSource,
  imagePreference,
  imageRefFromUrl,
  imageVersion,
  titleImagePath,
  upstreamImageUrl,
} from '@media-gateway/domain';
import type { TitleImage } from '@media-gateway/domain/contracts';

/** A stored image reference with what the API shows about it. */
export interface StoredImage extends ImageRef {
  kind: ImageKind;
  attribution: string;
  seenAt: Date | null;
}

interface ImageRow {
  title_id: string;
  kind: ImageKind;
  image_source: ImageSource;
  ref: string;
  variants: { m?: string; l?: string } | null;
  attribution: string;
  seen_at: Date | null;
}

/**
 * Orders candidates of one kind: the fixed source preference (IMAGE_PREFERENCE), then the most
 * recently seen, then the reference itself so that every replica picks the same one.
 */
function better(a: StoredImage, b: StoredImage): number {
  return (
    imagePreference(a.source) - imagePreference(b.source) ||
    (b.seenAt?.getTime() ?? 0) - (a.seenAt?.getTime() ?? 0) ||
    (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)
  );
}

/**
 * The artwork each canonical title shows: of all its source records' images, one per kind by the
 * fixed source preference. A reference that would not make an allow-listed URL is never picked,
 * so no answer points at an image the proxy would refuse.
 */
export async function loadPickedImages(
  db: Queryable,
  titleIds: string[],
): Promise<Map<string, Partial<Record<ImageKind, StoredImage>>>> {
  const out = new Map<string, Partial<Record<ImageKind, StoredImage>>>();
  if (titleIds.length === 0) return out;
  const { rows } = await db.query<ImageRow>(
    `SELECT s.title_id, i.kind, i.image_source, i.ref, i.variants, i.attribution, i.seen_at
     FROM title_images i JOIN title_sources s ON s.source = i.source AND s.source_key = i.source_key
     WHERE s.title_id = ANY($1)`,
    [titleIds],
  );
  for (const r of rows) {
    const image: StoredImage = {
      kind: r.kind,
      source: r.image_source,
      ref: r.ref,
      variants: r.variants,
      attribution: r.attribution,
      seenAt: r.seen_at,
    };
    if (!upstreamImageUrl(image, image.kind, 'm')) continue;
    const picked = out.get(r.title_id) ?? {};
    const current = picked[r.kind];
    if (!current || better(image, current) < 0) picked[r.kind] = image;
    out.set(r.title_id, picked);
  }
  return out;
}

/** How the API shows a picked image: our proxy's URLs (versioned by the reference), its credit and date. */
export function toTitleImage(titleId: string, image: StoredImage): TitleImage {
  const v = imageVersion(image);
  const sizes = Object.fromEntries(IMAGE_SIZES.map((s) => [s, titleImagePath(titleId, image.kind, s, v)])) as Record<
    (typeof IMAGE_SIZES)[number],
    string
  >;
  return {
    kind: image.kind,
    url: sizes.m,
    sizes,
    source: image.source,
    attribution: image.attribution,
    seenAt: image.seenAt?.toISOString() ?? null,
  };
}

/** The picked poster and backdrop of each title, as the API shows them (poster first). */
export async function loadTitleImages(db: Queryable, titleIds: string[]): Promise<Map<string, TitleImage[]>> {
  const picked = await loadPickedImages(db, titleIds);
  const out = new Map<string, TitleImage[]>();
  for (const [id, kinds] of picked)
    out.set(
      id,
      (['poster', 'backdrop'] as const).flatMap((k) => (kinds[k] ? [toTitleImage(id, kinds[k])] : [])),
    );
  return out;
}

/** A provider the catalog knows (registry or kept from a source), with its logo candidates. */
export interface ProviderLogos {
  name: string;
  /** Best first: the sources' logos by the fixed preference, then the registry's. */
  logos: ImageRef[];
}

/** Undefined for a provider id nobody reported; otherwise its name and logo references. */
export async function loadProviderLogos(db: Queryable, providerId: string): Promise<ProviderLogos | undefined> {
  const platform = getPlatform(providerId);
  const kept = platform
    ? undefined
    : (
        await db.query<{ name: string; logo_url: string | null }>(
          'SELECT name, logo_url FROM providers WHERE id = $1',
          [providerId],
        )
      ).rows[0];
  if (!platform && !kept) return undefined;
  const { rows } = await db.query<{ image_source: ImageSource; ref: string }>(
    'SELECT image_source, ref FROM provider_logos WHERE provider_id = $1',
    [providerId],
  );
  const logos: ImageRef[] = rows
    .map((r) => ({ source: r.image_source, ref: r.ref }))
    .sort((a, b) => imagePreference(a.source) - imagePreference(b.source));
  const fallback = platform?.logo ?? kept?.logo_url;
  const registry = fallback ? imageRefFromUrl(fallback) : undefined;
  if (registry && !logos.some((l) => l.source === registry.source && l.ref === registry.ref)) logos.push(registry);
  return { name: platform?.name ?? kept!.name, logos: logos.filter((l) => upstreamImageUrl(l, 'logo', 'm')) };
}
