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
import { isHttpUrl, stripTracking } from '../justwatch/clean-url.ts';
import { providerOf } from '../provider-of.ts';
import { type WatchmodeDetails, WatchmodeSourceRow } from './watchmode-types.ts';

type Offer = z.input<typeof SourceOfferSchema>;
type Problem = { field: string; reason: string };

const TYPE: Readonly<Record<string, Monetization>> = { sub: 'subscription', free: 'free', rent: 'rent', buy: 'buy' };
const FORMAT_RANK: Readonly<Record<string, number>> = { SD: 1, HD: 2, '4K': 3 };

/**
 * Rows come one per source × region × format × type, so they are deduplicated per
 * platform × type, keeping the best format (and its price). `tve` (needs a cable login) is skipped.
 */
export function watchmodeOffers(rows: unknown[], region: string, problems: Problem[]): Offer[] {
  const best = new Map<string, { offer: Offer; rank: number }>();
  for (const [i, raw] of rows.entries()) {
    const parsed = WatchmodeSourceRow.safeParse(raw);
    if (!parsed.success) {
      problems.push({ field: `sources.${i}`, reason: 'unexpected shape of a source row' });
      continue;
    }
    const s = parsed.data;
    if (s.region !== region) continue;
    const monetization = TYPE[s.type];
    if (!monetization) continue;
    // Source ids → providers: the registry's, or `watchmode-source-<id>` under Watchmode's name.
    const provider = providerOf('watchmode', s.source_id, { name: s.name, matchName: true });
    if (!provider) continue;
    const platform = provider.platform;
    const web = isHttpUrl(s.web_url) ? stripTracking(s.web_url) : undefined;
    // Free plans put "Deeplinks available for paid plans only." in the app URLs: not links.
    const app = isHttpUrl(s.ios_url) ? s.ios_url : isHttpUrl(s.android_url) ? s.android_url : undefined;
    const rank = FORMAT_RANK[s.format ?? ''] ?? 0;
    const offer: Offer = {
      ...provider,
      region,
      monetization,
      ...(s.price !== null && s.price !== undefined && s.price >= 0 ? { price: s.price } : {}),
      ...(s.format ? { quality: s.format } : {}),
      ...(web ? { webUrl: web } : {}),
      ...(app ? { appUrl: app } : {}),
    };
    const key = `${platform}|${monetization}`;
    const prev = best.get(key);
    if (!prev || rank > prev.rank) best.set(key, { offer, rank });
  }
  return [...best.values()].map((b) => b.offer);
}

/** A Watchmode image URL if it really is one on cdn.watchmode.com (anything else is dropped). */
function watchmodeUrl(raw: string | null | undefined): string | undefined {
  const ref = raw ? imageRefFromUrl(raw) : undefined;
  return ref?.source === 'watchmode' ? ref.ref : undefined;
}

/**
 * Watchmode's artwork as its own URLs: it gives each poster size as a separate field, so the
 * smallest is the reference and the others its variants (sizes s, m, l); one backdrop size.
 */
export function watchmodeImages(d: WatchmodeDetails): SourceImage[] {
  const images: SourceImage[] = [];
  const [small, medium, large] = [watchmodeUrl(d.poster), watchmodeUrl(d.posterMedium), watchmodeUrl(d.posterLarge)];
  const poster = small ?? medium ?? large;
  if (poster) {
    const variants = {
      ...(medium && medium !== poster ? { m: medium } : {}),
      ...(large && large !== poster ? { l: large } : {}),
    };
    images.push({
      kind: 'poster',
      source: 'watchmode',
      ref: poster,
      ...(Object.keys(variants).length > 0 ? { variants } : {}),
      attribution: IMAGE_ATTRIBUTION.watchmode,
    });
  }
  const backdrop = watchmodeUrl(d.backdrop);
  if (backdrop)
    images.push({ kind: 'backdrop', source: 'watchmode', ref: backdrop, attribution: IMAGE_ATTRIBUTION.watchmode });
  return images;
}

export function mapWatchmodeTitle(
  d: WatchmodeDetails,
  region: string,
): { record: SourceRecordInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const kind = d.type === 'movie' || d.type === 'tv_movie' || d.type === 'short_film' ? 'movie' : 'series';
  const imdb = d.imdb_id ? toImdbId(d.imdb_id) : undefined;
  if (d.imdb_id && !imdb) problems.push({ field: 'imdb_id', reason: `not an IMDb id: "${d.imdb_id}"` });
  const tmdbType = d.tmdb_type === 'movie' ? 'movie' : d.tmdb_type === 'tv' ? 'tv' : undefined;
  const maturity = normalizeMaturity(d.us_rating);
  const images = watchmodeImages(d);
  const record: SourceRecordInput = {
    source: 'watchmode',
    sourceKey: String(d.id),
    kind,
    title: d.title,
    ...(d.original_title && d.original_title !== d.title ? { originalTitle: d.original_title } : {}),
    ...(d.year && d.year >= 1870 && d.year <= 2100 ? { year: d.year } : {}),
    ...(d.runtime_minutes && d.runtime_minutes > 0 ? { runtimeMinutes: Math.round(d.runtime_minutes) } : {}),
    genres: mapGenreLabels(d.genre_names),
    genreLabels: d.genre_names,
    ...(maturity ? { maturity } : {}),
    languages: d.original_language && /^[a-z]{2,3}$/.test(d.original_language) ? [d.original_language] : [],
    ...(d.plot_overview ? { description: d.plot_overview.slice(0, 5000) } : {}),
    externalIds: {
      watchmode: String(d.id),
      ...(imdb ? { imdb } : {}),
      ...(d.tmdb_id && tmdbType ? { tmdb: `${tmdbType}:${d.tmdb_id}` } : {}),
    },
    offers: watchmodeOffers(d.sources, region, problems),
    ...(images.length > 0 ? { images } : {}),
  };
  return { record, problems };
}
