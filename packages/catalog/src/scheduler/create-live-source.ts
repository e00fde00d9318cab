import type { SourceHttp } from '../http/source-http.ts';
import type { LiveRunOptions, LiveSource, LiveSourceName, SourceConfig } from '../sources/live-sources.ts';
import { justwatchSource } from '../sources/justwatch/justwatch-source.ts';
import { streamingAvailabilitySource } from '../sources/streaming-availability/sa-source.ts';
import { tmdbSource } from '../sources/tmdb/tmdb-source.ts';
import { watchmodeSource } from '../sources/watchmode/watchmode-source.ts';
import { type YoutubeAnchor, youtubeSource } from '../sources/youtube/youtube-source.ts';

export interface LiveSourceDeps {
  /** Replace the source's HTTP client (tests shorten the breaker's open time and backoff). */
  http?: SourceHttp;
  /** YouTube looks titles up by name: the scheduler passes catalog titles as anchors. */
  youtubeAnchors?: YoutubeAnchor[];
  /** TMDb daily export day (default: yesterday, UTC). */
  exportDay?: Date;
}

export function createLiveSource(config: SourceConfig, run: LiveRunOptions, deps: LiveSourceDeps = {}): LiveSource {
  const http = deps.http ? { http: deps.http } : {};
  const base: LiveSourceName = config.source;
  switch (base) {
    case 'tmdb':
      return tmdbSource(config, run, { ...http, ...(deps.exportDay ? { exportDay: deps.exportDay } : {}) });
    case 'watchmode':
      return watchmodeSource(config, run, http);
    case 'streaming-availability':
      return streamingAvailabilitySource(config, run, http);
    case 'justwatch':
      return justwatchSource(config, run, http);
    case 'youtube':
      return youtubeSource(config, run, { ...http, anchors: deps.youtubeAnchors ?? [] });
  }
}
