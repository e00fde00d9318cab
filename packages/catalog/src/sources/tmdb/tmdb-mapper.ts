import {
  IMAGE_ATTRIBUTION,
  mapGenreLabels,
  type Monetization,
  normalizeMaturity,
  type SourceImage,
  type SourceOfferSchema,
  type SourceRecordInput,
  toImdbId,
  upstreamImageUrl,
} from '@media-gateway/domain';
import type { z } from 'zod';
import { tmdbProvider } from './tmdb-providers.ts';
import type { TmdbMovie, TmdbRegionProviders, TmdbTv } from './tmdb-types.ts';

type Offer = z.input<typeof SourceOfferSchema>;
type Problem = { field: string; reason: string };

const MONETIZATION: ReadonlyArray<['flatrate' | 'free' | 'ads' | 'rent' | 'buy', Monetization]> = [
  ['flatrate', 'subscription'],
  ['free', 'free'],
  ['ads', 'ads'],
  ['rent', 'rent'],
  ['buy', 'buy'],
];

/**
 * TMDb's per-region providers. TMDb gives no per-title platform URL (its one `link` is its own
 * JustWatch-powered page), so offers carry neither webUrl nor nativeId: the store turns them
 * into labelled search links unless another source has the platform's own id.
 */
export function tmdbOffers(providers: TmdbRegionProviders | undefined, region: string): Offer[] {
  const offers: Offer[] = [];
  const seen = new Set<string>();
  for (const [field, monetization] of MONETIZATION) {
    for (const p of providers?.[field] ?? []) {
      const provider = tmdbProvider(p);
      if (!provider || seen.has(`${provider.platform}|${monetization}`)) continue;
      seen.add(`${provider.platform}|${monetization}`);
      offers.push({ ...provider, region, monetization });
    }
  }
  return offers;
}

/**
 * Poster and backdrop as TMDb file paths: the stable part of its image URLs, which any size can be
 * built from. A path that would not make an image.tmdb.org URL is dropped.
 */
export function tmdbImages(t: { poster_path?: string | null; backdrop_path?: string | null }): SourceImage[] {
  const images: SourceImage[] = [];
  for (const [kind, path] of [
    ['poster', t.poster_path],
    ['backdrop', t.backdrop_path],
  ] as const) {
    if (path && upstreamImageUrl({ source: 'tmdb', ref: path }, kind, 'm'))
      images.push({ kind, source: 'tmdb', ref: path, attribution: IMAGE_ATTRIBUTION.tmdb });
  }
  return images;
}

function year(date: string | undefined): number | undefined {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(date ?? '');
  return m ? Number(m[1]) : undefined;
}

function common(t: TmdbMovie | TmdbTv, region: string, problems: Problem[]) {
  const imdbRaw = ('imdb_id' in t ? t.imdb_id : undefined) ?? t.external_ids?.imdb_id ?? undefined;
  const imdb = imdbRaw ? toImdbId(imdbRaw) : undefined;
  if (imdbRaw && !imdb) problems.push({ field: 'external_ids.imdb_id', reason: `not an IMDb id: "${imdbRaw}"` });
  const labels = t.genres.map((g) => g.name);
  const lang = t.original_language && /^[a-z]{2,3}$/.test(t.original_language) ? [t.original_language] : [];
  return {
    genres: mapGenreLabels(labels),
    genreLabels: labels,
    languages: lang,
    ...(t.overview ? { description: t.overview.slice(0, 5000) } : {}),
    imdb,
    cast: (t.credits?.cast ?? []).slice(0, 15).map((c) => c.name),
    offers: tmdbOffers(t['watch/providers']?.results[region], region),
    images: tmdbImages(t),
    ...(t.vote_count && t.vote_count > 0
      ? { signals: { popularity: Math.round(Math.log10(t.vote_count + 1) * 100) / 100 } }
      : {}),
  };
}

export function mapTmdbMovie(m: TmdbMovie, region: string): { record: SourceRecordInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const c = common(m, region, problems);
  const cert = m.release_dates?.results
    .find((r) => r.iso_3166_1 === 'US')
    ?.release_dates.map((d) => d.certification)
    .find((x) => x.trim());
  const maturity = normalizeMaturity(cert);
  const countries = (m.production_countries?.map((p) => p.iso_3166_1) ?? m.origin_country ?? []).filter((x) =>
    /^[A-Z]{2}$/.test(x),
  );
  const y = year(m.release_date);
  const record: SourceRecordInput = {
    source: 'tmdb',
    sourceKey: `movie:${m.id}`,
    kind: 'movie',
    title: m.title,
    ...(m.original_title && m.original_title !== m.title ? { originalTitle: m.original_title } : {}),
    ...(y && y >= 1870 ? { year: y } : {}),
    ...(m.runtime && m.runtime > 0 ? { runtimeMinutes: m.runtime } : {}),
    genres: c.genres,
    genreLabels: c.genreLabels,
    ...(maturity ? { maturity } : {}),
    countries: [...new Set(countries)],
    languages: c.languages,
    directors: (m.credits?.crew ?? []).filter((p) => p.job === 'Director').map((p) => p.name),
    cast: c.cast,
    ...(c.description ? { description: c.description } : {}),
    externalIds: { tmdb: `movie:${m.id}`, ...(c.imdb ? { imdb: c.imdb } : {}) },
    offers: c.offers,
    ...(c.images.length > 0 ? { images: c.images } : {}),
    ...(c.signals ? { signals: c.signals } : {}),
  };
  return { record, problems };
}

export function mapTmdbTv(t: TmdbTv, region: string): { record: SourceRecordInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const c = common(t, region, problems);
  const rating = t.content_ratings?.results.find((r) => r.iso_3166_1 === 'US')?.rating;
  const maturity = normalizeMaturity(rating);
  // episode_run_time is often [] (EXTERNAL-APIS.md §1): fall back to the last episode's runtime.
  const runtime = t.episode_run_time[0] ?? t.last_episode_to_air?.runtime ?? undefined;
  const y = year(t.first_air_date);
  const record: SourceRecordInput = {
    source: 'tmdb',
    sourceKey: `tv:${t.id}`,
    kind: 'series',
    title: t.name,
    ...(t.original_name && t.original_name !== t.name ? { originalTitle: t.original_name } : {}),
    ...(y && y >= 1870 ? { year: y } : {}),
    ...(runtime && runtime > 0 ? { runtimeMinutes: Math.round(runtime) } : {}),
    ...(t.number_of_seasons && t.number_of_seasons > 0 ? { seasons: t.number_of_seasons } : {}),
    genres: c.genres,
    genreLabels: c.genreLabels,
    ...(maturity ? { maturity } : {}),
    countries: (t.origin_country ?? []).filter((x) => /^[A-Z]{2}$/.test(x)),
    languages: c.languages,
    creators: t.created_by.map((p) => p.name),
    cast: c.cast,
    ...(c.description ? { description: c.description } : {}),
    externalIds: { tmdb: `tv:${t.id}`, ...(c.imdb ? { imdb: c.imdb } : {}) },
    offers: c.offers,
    ...(c.images.length > 0 ? { images: c.images } : {}),
    ...(c.signals ? { signals: c.signals } : {}),
  };
  return { record, problems };
}
