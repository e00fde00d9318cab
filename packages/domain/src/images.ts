import { z } from 'zod';

/**
 * Artwork as stored references (decision 0109): which source's image host a reference points into,
 * how a reference becomes that host's URL at one of three sizes, and the allow-list the image proxy
 * fetches from. Pure: the proxy (apps/gateway/src/images) does the I/O.
 */

export const IMAGE_KINDS = ['poster', 'backdrop'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];
/** Provider logos are built like title artwork but are not a kind a title carries. */
export type ImageUse = ImageKind | 'logo';

/** Small, medium, large: each maps to a size the source itself serves, so we never resize. */
export const IMAGE_SIZES = ['s', 'm', 'l'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

/**
 * Sources whose image references we keep. Streaming Availability's title images are signed URLs
 * that expire, so only its (unsigned) service logos are kept.
 */
export const IMAGE_SOURCES = ['tmdb', 'justwatch', 'watchmode', 'streaming-availability'] as const;
export type ImageSource = (typeof IMAGE_SOURCES)[number];

/** The allow-list: the one host per source the proxy may fetch from, over https. */
export const IMAGE_HOSTS: Readonly<Record<ImageSource, string>> = {
  tmdb: 'image.tmdb.org',
  justwatch: 'images.justwatch.com',
  watchmode: 'cdn.watchmode.com',
  'streaming-availability': 'media.movieofthenight.com',
};

/** The credit shown with an image from each source (SA's wording is required by its terms). */
export const IMAGE_ATTRIBUTION: Readonly<Record<ImageSource, string>> = {
  tmdb: 'TMDb',
  justwatch: 'JustWatch',
  watchmode: 'Watchmode',
  'streaming-availability': 'Streaming Availability API by Movie of the Night',
};

/**
 * The fixed order a canonical title picks its artwork in: TMDb's file paths are the most stable
 * and come in the most sizes; JustWatch's come in three profiles; Watchmode's are copies at fixed
 * sizes. Logos also fall back to SA's service logos.
 */
export const IMAGE_PREFERENCE: readonly ImageSource[] = ['tmdb', 'justwatch', 'watchmode', 'streaming-availability'];

/** The `{profile}` placeholder in a JustWatch reference: the size segment made a variable. */
export const JUSTWATCH_PROFILE = '{profile}';

/** Native sizes per source (TMDb `/configuration`, JustWatch profiles, EXTERNAL-APIS.md). */
const TMDB_SIZES: Record<ImageUse, Record<ImageSize, string>> = {
  poster: { s: 'w185', m: 'w342', l: 'w780' },
  backdrop: { s: 'w300', m: 'w780', l: 'w1280' },
  logo: { s: 'w92', m: 'w154', l: 'w300' },
};
const JUSTWATCH_PROFILES: Record<ImageUse, Record<ImageSize, string>> = {
  poster: { s: 's166', m: 's332', l: 's718' },
  backdrop: { s: 's640', m: 's1440', l: 's1920' },
  // Package icons come in one useful profile.
  logo: { s: 's100', m: 's100', l: 's100' },
};

/** One stored reference. `variants`: URLs of other sizes a source gave (Watchmode's posterMedium/Large). */
export interface ImageRef {
  source: ImageSource;
  ref: string;
  variants?: { m?: string | undefined; l?: string | undefined } | null | undefined;
}

const ImageUrl = z.string().url().max(500);

/** An image as a source record carries it (see `SourceRecordSchema.images`). */
export const SourceImageSchema = z.object({
  kind: z.enum(IMAGE_KINDS),
  source: z.enum(IMAGE_SOURCES),
  /** TMDb: the file path (`/abc.jpg`); JustWatch: the path with `{profile}`; Watchmode: its URL. */
  ref: z.string().min(2).max(500),
  variants: z.object({ m: ImageUrl.optional(), l: ImageUrl.optional() }).optional(),
  attribution: z.string().min(1).max(200),
});
export type SourceImage = z.infer<typeof SourceImageSchema>;

/** True for a URL the proxy may fetch: https, no credentials or port, on an allow-listed host. */
export function isAllowedImageUrl(url: URL): boolean {
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    Object.values(IMAGE_HOSTS).includes(url.hostname)
  );
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

const TMDB_PATH = /^\/[A-Za-z0-9_-]+\.(jpg|jpeg|png|svg|webp)$/;
const JUSTWATCH_PATH = /^(\/(?:poster|backdrop|icon)\/\d+\/)s\d+(\/[A-Za-z0-9._-]+)$/;

/**
 * The URL of a stored reference at a size, built only from the reference and the source's own
 * host; undefined when the result would not be an allow-listed https URL on that source's host.
 */
export function upstreamImageUrl(image: ImageRef, use: ImageUse, size: ImageSize): URL | undefined {
  let raw: string;
  switch (image.source) {
    case 'tmdb':
      if (!TMDB_PATH.test(image.ref)) return undefined;
      raw = `https://${IMAGE_HOSTS.tmdb}/t/p/${TMDB_SIZES[use][size]}${image.ref}`;
      break;
    case 'justwatch':
      if (!image.ref.startsWith('/') || !image.ref.includes(JUSTWATCH_PROFILE)) return undefined;
      raw = `https://${IMAGE_HOSTS.justwatch}${image.ref.replace(JUSTWATCH_PROFILE, JUSTWATCH_PROFILES[use][size])}`;
      break;
    case 'watchmode': {
      // Sizes the source gave; a missing one falls to the nearest smaller one it did give.
      const v = image.variants ?? {};
      raw = (size === 'l' ? (v.l ?? v.m) : size === 'm' ? v.m : undefined) ?? image.ref;
      break;
    }
    case 'streaming-availability':
      raw = image.ref;
      break;
    default:
      return undefined;
  }
  const url = parseUrl(raw);
  return url && isAllowedImageUrl(url) && url.hostname === IMAGE_HOSTS[image.source] ? url : undefined;
}

/**
 * A stable reference from a full image URL a source gave (a logo, a Watchmode poster), or
 * undefined when it is not on a source's image host. TMDb keeps the file path; JustWatch the path
 * with its size segment made `{profile}`; Watchmode the URL; SA only unsigned URLs (signed ones
 * carry `Expires`/`Signature` and stop working).
 */
export function imageRefFromUrl(raw: string): { source: ImageSource; ref: string } | undefined {
  const url = parseUrl(raw);
  if (!url || !isAllowedImageUrl(url)) return undefined;
  switch (url.hostname) {
    case IMAGE_HOSTS.tmdb: {
      const m = /^\/t\/p\/[a-z0-9]+(\/[^/]+)$/.exec(url.pathname);
      return m && TMDB_PATH.test(m[1]!) ? { source: 'tmdb', ref: m[1]! } : undefined;
    }
    case IMAGE_HOSTS.justwatch: {
      const m = JUSTWATCH_PATH.exec(url.pathname);
      return m ? { source: 'justwatch', ref: `${m[1]}${JUSTWATCH_PROFILE}${m[2]}` } : undefined;
    }
    case IMAGE_HOSTS.watchmode:
      return { source: 'watchmode', ref: url.toString() };
    case IMAGE_HOSTS['streaming-availability']:
      return url.search === '' ? { source: 'streaming-availability', ref: url.toString() } : undefined;
    default:
      return undefined;
  }
}

/** Rank of a source in IMAGE_PREFERENCE (unknown sources last). */
export function imagePreference(source: string): number {
  const i = IMAGE_PREFERENCE.indexOf(source as ImageSource);
  return i < 0 ? IMAGE_PREFERENCE.length : i;
}

/**
 * A short version of a reference (FNV-1a, base 36): it goes into our proxy URL, so a URL names
 * exactly one upstream image and browsers may keep it as immutable.
 */
export function imageVersion(image: ImageRef): string {
  const text = `${image.source}\u0000${image.ref}\u0000${image.variants?.m ?? ''}\u0000${image.variants?.l ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Our proxy's path for a title's image at a size (what API answers point clients at). */
export function titleImagePath(titleId: string, kind: ImageKind, size: ImageSize, version: string): string {
  return `/api/titles/${titleId}/image/${kind}?size=${size}&v=${version}`;
}
