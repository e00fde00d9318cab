import { pagedSource } from '../../http/paged-listing.ts';
import { SourceHttp } from '../../http/source-http.ts';
import { MalformedResponseError } from '../../http/upstream-errors.ts';
import type { Cursor, LiveRunOptions, LiveSource, SourceConfig } from '../live-sources.ts';
import { matchVideo, mapYoutubeMatch } from './youtube-mapper.ts';
import { isYoutubeQuotaError, YtSearchList, YtVideo, YtVideoList } from './youtube-types.ts';

/** A catalog title YouTube is searched for. */
export interface YoutubeAnchor {
  title: string;
  year?: number;
  runtimeMinutes?: number;
  imdb?: string;
}

/** Quota is per day (10,000 units; search.list ~100 calls/day), so the rate limit is only a courtesy. */
export const YOUTUBE_LIMITS = { ratePerSecond: 5, burst: 5 };

export function createYoutubeHttp(
  config: SourceConfig,
  overrides: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
): SourceHttp {
  return new SourceHttp({
    source: 'youtube',
    baseUrl: config.baseUrl,
    keys: config.keys,
    auth: (k) => ({ query: { key: k } }),
    isQuotaExceeded: isYoutubeQuotaError,
    ...YOUTUBE_LIMITS,
    ...overrides,
  });
}

/**
 * YouTube: for each anchor title, one search.list (videoDuration=long) and one videos.list for
 * the candidates' durations, licensing and region restrictions. A match becomes a record carrying
 * the catalog title's IMDb id, so it resolves onto that title. Quota exhaustion (403
 * quotaExceeded) stops the run cleanly; the next run resumes at the same anchor.
 */
export function youtubeSource(
  config: SourceConfig,
  run: LiveRunOptions,
  options: { http?: SourceHttp; anchors: YoutubeAnchor[] },
): LiveSource {
  const http = options.http ?? createYoutubeHttp(config);
  const anchors = options.anchors;
  return pagedSource<{ anchor: YoutubeAnchor; video: YtVideo }>(
    {
      base: 'youtube',
      http,
      firstCursor: 0,
      skipPage: (c) => (typeof c === 'number' && c + 1 < anchors.length ? c + 1 : undefined),
      fetchPage: async (cursor: Cursor, signal) => {
        const i = cursor as number;
        const anchor = anchors[i];
        if (!anchor) return { items: [], next: undefined };
        const next = i + 1 < anchors.length ? i + 1 : undefined;
        const q = `${anchor.title}${anchor.year ? ` ${anchor.year}` : ''} full movie`;
        const search = YtSearchList.safeParse(
          await http.json('/search', {
            query: { part: 'snippet', q, type: 'video', videoDuration: 'long', regionCode: run.region, maxResults: 5 },
            ...(signal ? { signal } : {}),
          }),
        );
        if (!search.success)
          throw new MalformedResponseError(
            'youtube',
            `youtube: search.list for "${anchor.title}" answered an unexpected shape`,
          );
        const ids = search.data.items.map((it) => it.id.videoId).filter((v): v is string => !!v);
        if (ids.length === 0) return { items: [], next };
        const list = YtVideoList.safeParse(
          await http.json('/videos', {
            query: { part: 'snippet,contentDetails,status', id: ids.join(',') },
            ...(signal ? { signal } : {}),
          }),
        );
        if (!list.success)
          throw new MalformedResponseError(
            'youtube',
            `youtube: videos.list for "${anchor.title}" answered an unexpected shape`,
          );
        const videos = list.data.items
          .map((v) => YtVideo.safeParse(v))
          .filter((r) => r.success)
          .map((r) => r.data);
        const video = matchVideo(anchor, videos, run.region);
        return { items: video ? [{ anchor, video }] : [], next };
      },
      toRecord: async ({ anchor, video }) => ({ record: mapYoutubeMatch(anchor, video, run.region), problems: [] }),
    },
    run,
  );
}
