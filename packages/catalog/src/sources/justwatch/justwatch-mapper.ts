import {
  IMAGE_ATTRIBUTION,
  imageRefFromUrl,
  mapGenreLabels,
  type Monetization,
  normalizeMaturity,
  type SourceImage,
  type SourceOfferSchema,
  type SourceRecordInput,
  toImdbId,
} from '@media-gateway/domain';
import type { z } from 'zod';
import { providerOf } from '../provider-of.ts';
import { stripTracking } from './clean-url.ts';
import { type JwNode, JwOffer } from './justwatch-types.ts';

type Offer = z.input<typeof SourceOfferSchema>;
type Problem = { field: string; reason: string };

/** JustWatch's image paths (posters, backdrops, package icons) are relative to this host (EXTERNAL-APIS.md §4). */
const JW_IMAGES = 'https://images.justwatch.com';

/** Upper-case monetization (TMDb's is lower-case). CINEMA is not something to watch at home. */
const MONETIZATION: Readonly<Record<string, Monetization>> = {
  FLATRATE: 'subscription',
  FREE: 'free',
  ADS: 'ads',
  RENT: 'rent',
  BUY: 'buy',
};
/** Physical media share the offer list with streaming (EXTERNAL-APIS.md §4). */
const PHYSICAL = new Set(['DVD', 'BLURAY', 'BLURAY_4K']);
const QUALITY: Readonly<Record<string, string>> = { SD: 'SD', HD: 'HD', _4K: '4K' };

/** JustWatch's 3-letter genre short names. */
const GENRE_LABELS: Readonly<Record<string, string>> = {
  act: 'Action',
  ani: 'Animation',
  cmy: 'Comedy',
  crm: 'Crime',
  doc: 'Documentary',
  drm: 'Drama',
  fnt: 'Fantasy',
  hst: 'History',
  hrr: 'Horror',
  fml: 'Family',
  msc: 'Music',
  trl: 'Thriller',
  rma: 'Romance',
  scf: 'Science Fiction',
  spt: 'Sport',
  war: 'War',
  wsn: 'Western',
  rly: 'Reality TV',
};

export function jwOffers(raw: unknown[], region: string, problems: Problem[]): Offer[] {
  const out: Offer[] = [];
  const seen = new Set<string>();
  for (const [i, r] of raw.entries()) {
    const parsed = JwOffer.safeParse(r);
    if (!parsed.success) {
      problems.push({ field: `offers.${i}`, reason: 'unexpected shape of an offer' });
      continue;
    }
    const o = parsed.data;
    const monetization = MONETIZATION[o.monetizationType];
    if (!monetization || PHYSICAL.has(o.presentationType ?? '')) continue;
    // Package ids → providers: the registry's, or `justwatch-package-<id>` under JustWatch's name.
    const provider = providerOf('justwatch', o.package.packageId, {
      name: o.package.clearName,
      logo: o.package.icon?.startsWith('/') ? `${JW_IMAGES}${o.package.icon}` : undefined,
    });
    if (!provider || seen.has(`${provider.platform}|${monetization}`)) continue;
    seen.add(`${provider.platform}|${monetization}`);
    const web = o.standardWebURL ? stripTracking(o.standardWebURL) : undefined;
    const until =
      o.availableTo && !Number.isNaN(Date.parse(o.availableTo)) ? new Date(o.availableTo).toISOString() : undefined;
    out.push({
      ...provider,
      region,
      monetization,
      // retailPrice is a localized display string; retailPriceValue is the number.
      ...(typeof o.retailPriceValue === 'number' &&
      o.retailPriceValue >= 0 &&
      o.currency &&
      /^[A-Z]{3}$/.test(o.currency)
        ? { price: o.retailPriceValue, currency: o.currency }
        : {}),
      ...(o.presentationType && QUALITY[o.presentationType] ? { quality: QUALITY[o.presentationType] } : {}),
      ...(web ? { webUrl: web } : {}),
      ...(until ? { availableUntil: until } : {}),
    });
  }
  return out;
}

/**
 * Poster and first backdrop as paths with the size segment made `{profile}`, so any of its sizes
 * can be served later; a path of another shape is dropped.
 */
export function jwImages(c: JwNode['content']): SourceImage[] {
  const images: SourceImage[] = [];
  for (const [kind, path] of [
    ['poster', c.posterUrl],
    ['backdrop', c.backdrops?.find((b) => b.backdropUrl)?.backdropUrl],
  ] as const) {
    const ref = path?.startsWith('/') ? imageRefFromUrl(`${JW_IMAGES}${path}`) : undefined;
    if (ref?.source === 'justwatch')
      images.push({ kind, source: 'justwatch', ref: ref.ref, attribution: IMAGE_ATTRIBUTION.justwatch });
  }
  return images;
}

export function mapJwNode(n: JwNode, region: string): { record: SourceRecordInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const c = n.content;
  const kind = n.objectType === 'MOVIE' ? 'movie' : 'series';
  const imdb = c.externalIds.imdbId ? toImdbId(c.externalIds.imdbId) : undefined;
  const tmdb =
    c.externalIds.tmdbId && /^\d+$/.test(c.externalIds.tmdbId)
      ? `${kind === 'movie' ? 'movie' : 'tv'}:${c.externalIds.tmdbId}`
      : undefined;
  const labels = c.genres.map((g) => GENRE_LABELS[g.shortName] ?? g.shortName);
  const maturity = normalizeMaturity(c.ageCertification);
  const votes = c.scoring?.imdbVotes ?? undefined;
  const images = jwImages(c);
  const record: SourceRecordInput = {
    source: 'justwatch',
    sourceKey: n.id,
    kind,
    title: c.title,
    ...(c.originalReleaseYear && c.originalReleaseYear >= 1870 ? { year: c.originalReleaseYear } : {}),
    ...(kind === 'movie' && c.runtime && c.runtime > 0 ? { runtimeMinutes: Math.round(c.runtime) } : {}),
    genres: mapGenreLabels(labels),
    genreLabels: labels,
    ...(maturity ? { maturity } : {}),
    ...(c.shortDescription ? { description: c.shortDescription.slice(0, 5000) } : {}),
    externalIds: { justwatch: n.id, ...(imdb ? { imdb } : {}), ...(tmdb ? { tmdb } : {}) },
    offers: jwOffers(n.offers, region, problems),
    ...(images.length > 0 ? { images } : {}),
    ...(votes && votes > 0 ? { signals: { popularity: Math.round(Math.log10(votes + 1) * 100) / 100 } } : {}),
  };
  return { record, problems };
}
