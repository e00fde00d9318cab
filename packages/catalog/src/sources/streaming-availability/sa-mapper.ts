import {
  imageRefFromUrl,
  mapGenreLabels,
  type SourceOfferSchema,
  type SourceRecordInput,
  toImdbId,
} from '@media-gateway/domain';
import type { z } from 'zod';
import { providerOf } from '../provider-of.ts';
import { type SaShow, SaStreamingOption } from './sa-types.ts';

type Offer = z.input<typeof SourceOfferSchema>;
type Problem = { field: string; reason: string };

/**
 * The service's logo for a dark page (ours), else its light-theme one; only an unsigned URL on SA's
 * media host, since SA's signed image URLs expire and must not be stored (decision 0109).
 */
function serviceLogo(service: SaStreamingOption['service']): string | undefined {
  const url = service.imageSet?.darkThemeImage ?? service.imageSet?.lightThemeImage;
  return url && imageRefFromUrl(url)?.source === 'streaming-availability' ? url : undefined;
}

const iso = (unix: number | undefined) => (unix && unix > 0 ? new Date(unix * 1000).toISOString() : undefined);

/**
 * Offers for one country. `streamingOptions` keys are lower-case ("us"); `link` is the
 * platform's own page for the title (a direct link), `price.amount` is a string, and
 * `expiresOn` becomes available-until.
 */
export function saOffers(show: SaShow, region: string, problems: Problem[]): Offer[] {
  const offers: Offer[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of (show.streamingOptions[region.toLowerCase()] ?? []).entries()) {
    const parsed = SaStreamingOption.safeParse(raw);
    if (!parsed.success) {
      problems.push({
        field: `streamingOptions.${region.toLowerCase()}.${i}`,
        reason: 'unexpected shape of a streaming option',
      });
      continue;
    }
    const o = parsed.data;
    // Service ids → providers; `apple.rent` / `prime.buy` (SA's catalog syntax) pick the store.
    // Unknown services are kept as `sa-service-<id>` under SA's name.
    const provider = providerOf('streaming-availability', o.service.id, {
      name: o.service.name,
      logo: serviceLogo(o.service),
      type: o.type,
      matchName: true,
    });
    if (!provider || seen.has(`${provider.platform}|${o.type}`)) continue;
    seen.add(`${provider.platform}|${o.type}`);
    const amount = o.price ? Number(o.price.amount) : undefined;
    let webUrl: string | undefined;
    try {
      webUrl = new URL(o.link).toString();
    } catch {
      problems.push({
        field: `streamingOptions.${region.toLowerCase()}.${i}.link`,
        reason: `not a URL: "${o.link.slice(0, 80)}"`,
      });
    }
    offers.push({
      ...provider,
      region,
      monetization: o.type,
      ...(amount !== undefined && Number.isFinite(amount) && amount >= 0
        ? { price: amount, currency: o.price!.currency }
        : {}),
      ...(o.quality ? { quality: o.quality } : {}),
      ...(webUrl ? { webUrl } : {}),
      ...(iso(o.availableSince) ? { availableFrom: iso(o.availableSince) } : {}),
      ...(iso(o.expiresOn) ? { availableUntil: iso(o.expiresOn) } : {}),
    });
  }
  return offers;
}

export function mapSaShow(show: SaShow, region: string): { record: SourceRecordInput; problems: Problem[] } {
  const problems: Problem[] = [];
  const imdb = show.imdbId ? toImdbId(show.imdbId) : undefined;
  if (show.imdbId && !imdb) problems.push({ field: 'imdbId', reason: `not an IMDb id: "${show.imdbId}"` });
  // "movie/238" → "movie:238", "tv/1396" → "tv:1396" (EXTERNAL-APIS.md §7).
  const tmdbMatch = /^(movie|tv)\/(\d+)$/.exec(show.tmdbId ?? '');
  const labels = show.genres.map((g) => g.name);
  const year = show.releaseYear ?? show.firstAirYear;
  const record: SourceRecordInput = {
    source: 'streaming-availability',
    sourceKey: show.id,
    kind: show.showType,
    title: show.title,
    ...(show.originalTitle && show.originalTitle !== show.title ? { originalTitle: show.originalTitle } : {}),
    ...(year && year >= 1870 && year <= 2100 ? { year } : {}),
    ...(show.showType === 'movie' && show.runtime && show.runtime > 0
      ? { runtimeMinutes: Math.round(show.runtime) }
      : {}),
    ...(show.seasonCount && show.seasonCount > 0 ? { seasons: show.seasonCount } : {}),
    genres: mapGenreLabels(labels),
    genreLabels: labels,
    directors: show.directors,
    creators: show.creators,
    cast: show.cast.slice(0, 15),
    ...(show.overview ? { description: show.overview.slice(0, 5000) } : {}),
    externalIds: { ...(imdb ? { imdb } : {}), ...(tmdbMatch ? { tmdb: `${tmdbMatch[1]}:${tmdbMatch[2]}` } : {}) },
    offers: saOffers(show, region, problems),
  };
  return { record, problems };
}
