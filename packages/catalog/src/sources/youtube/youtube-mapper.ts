import { normalizeTitle, type SourceRecordInput } from '@media-gateway/domain';
import type { YtVideo } from './youtube-types.ts';
import type { YoutubeAnchor } from './youtube-source.ts';

/** ISO 8601 duration (PT1H2M3S) → minutes, rounded. */
export function isoDurationMinutes(value: string): number | undefined {
  const m = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(value);
  if (!m) return undefined;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return Math.round(d! * 1440 + h! * 60 + min! + s! / 60);
}

/** Search titles come HTML-entity-encoded (`&#39;`). */
export function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function playableIn(v: YtVideo, region: string): boolean {
  const r = v.contentDetails.regionRestriction;
  if (r?.allowed) return r.allowed.includes(region);
  if (r?.blocked) return !r.blocked.includes(region);
  return true;
}

/**
 * The channel of YouTube's own film store ("YouTube Movies & TV"). Its full-length videos are
 * rentals and purchases (sometimes free with ads); the Data API exposes no price and no
 * "free" flag for them, so they cannot be offered as free.
 */
export const YOUTUBE_MOVIES_STORE_CHANNEL = 'UClgRkhTL3_hImCAmdLfDE4g';

/**
 * Free to watch, by YouTube's own data: a public video (status.privacyStatus) that plays embedded
 * (status.embeddable; paid titles do not) and that is not an item of YouTube's film store. What
 * the API cannot tell (docs/sources/youtube.md): prices, rentals, whether a store item is free
 * with ads, or YouTube Premium-only playback.
 */
export function freeToWatch(v: YtVideo): { free: true } | { free: false; why: string } {
  if (v.status?.privacyStatus !== 'public') return { free: false, why: 'not a public video' };
  if (v.status.embeddable !== true)
    return { free: false, why: 'does not play outside youtube.com (paid titles do not)' };
  if (v.snippet.channelId === YOUTUBE_MOVIES_STORE_CHANNEL)
    return { free: false, why: "an item of YouTube's film store (rent or buy; the API has no price)" };
  return { free: true };
}

/**
 * Accepts a video as the full film only on strong evidence: licensed content, the title's words
 * in the video title, playable in the region, a length that fits the film (±15 % of the known
 * runtime, else at least an hour), and free to watch by YouTube's own data (`freeToWatch`).
 * Trailers and clips fail the length test; store rentals fail the free test and are not offers.
 */
export function matchVideo(anchor: YoutubeAnchor, videos: YtVideo[], region: string): YtVideo | undefined {
  const want = normalizeTitle(anchor.title);
  for (const v of videos) {
    if (v.contentDetails.licensedContent !== true || !playableIn(v, region) || !freeToWatch(v).free) continue;
    if (!normalizeTitle(decodeEntities(v.snippet.title)).includes(want)) continue;
    const minutes = isoDurationMinutes(v.contentDetails.duration);
    if (!minutes) continue;
    const fits = anchor.runtimeMinutes
      ? Math.abs(minutes - anchor.runtimeMinutes) <= anchor.runtimeMinutes * 0.15
      : minutes >= 60;
    if (fits) return v;
  }
  return undefined;
}

export function mapYoutubeMatch(anchor: YoutubeAnchor, v: YtVideo, region: string): SourceRecordInput {
  const minutes = isoDurationMinutes(v.contentDetails.duration);
  return {
    source: 'youtube',
    sourceKey: v.id,
    kind: 'movie',
    title: anchor.title,
    ...(anchor.year ? { year: anchor.year } : {}),
    ...(minutes ? { runtimeMinutes: minutes } : {}),
    externalIds: { ...(anchor.imdb ? { imdb: anchor.imdb } : {}), platforms: { youtube: v.id } },
    offers: [
      {
        platform: 'youtube',
        region,
        monetization: 'free',
        nativeId: v.id,
        ...(v.contentDetails.definition ? { quality: v.contentDetails.definition.toUpperCase() } : {}),
      },
    ],
  };
}
