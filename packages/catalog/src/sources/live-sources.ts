import type { SourceHttp } from '../http/source-http.ts';
import type { Source } from './source.ts';

/** The live connectors, by the name used in `--source`, run history and the admin API. */
export const LIVE_SOURCES = ['tmdb', 'watchmode', 'streaming-availability', 'justwatch', 'youtube'] as const;
export type LiveSourceName = (typeof LIVE_SOURCES)[number];

export function isLiveSource(value: string): value is LiveSourceName {
  return (LIVE_SOURCES as readonly string[]).includes(value);
}

/** A JSON-able position in a source's listing (page number, offset, cursor string, phase+page). */
export type Cursor = string | number | { [k: string]: string | number | null } | null;

export interface LiveRunOptions {
  region: string;
  mode: 'full' | 'incremental';
  /** Incremental runs look at changes since this time (the last completed run), when the API has a change feed. */
  since?: Date;
  /**
   * When the run started: the sweep's start, as the database recorded it (one time for every replica, kept while an
   * interrupted sweep is resumed). "The last day" and "yesterday's export" count from it, not from this process's
   * own time.
   */
  startedAt: Date;
  /** Continue an interrupted sweep from this page; rows keep their numbering. */
  resume?: { cursor: Cursor; firstRow: number };
  /** Called before each page is read, so the scheduler can persist where pages start. */
  onPage?: (page: { firstRow: number; cursor: Cursor }) => Promise<void> | void;
  /** Upper bound on listing pages (incremental runs and tests); undefined = the whole listing. */
  maxPages?: number;
}

/** How a live run ended, beyond the pipeline's counts: a full sweep closes offers only when complete. */
export interface LiveOutcome {
  pages: number;
  /** True when the listing was read to its end (no quota stop, no skipped page, no page cap). */
  complete: boolean;
  stopped?: 'quota' | 'page-cap' | 'malformed-page';
  message?: string;
}

export interface LiveSource extends Source {
  readonly base: LiveSourceName;
  readonly region: string;
  readonly http: SourceHttp;
  readonly outcome: LiveOutcome;
}

export interface LiveSourceStatus {
  source: LiveSourceName;
  configured: boolean;
  /** What to set when not configured, e.g. "set TMDB_API_KEY or TMDB_BEARER_TOKEN". */
  missing?: string;
  keys: number;
  baseUrl: string;
  attribution?: string;
  schedule: { incrementalEveryMinutes: number; fullEveryMinutes: number };
}

const DEFAULT_BASE: Record<LiveSourceName, string> = {
  tmdb: 'https://api.themoviedb.org/3',
  watchmode: 'https://api.watchmode.com/v1',
  'streaming-availability': 'https://streaming-availability.p.rapidapi.com',
  justwatch: 'https://apis.justwatch.com',
  youtube: 'https://www.googleapis.com/youtube/v3',
};

const BASE_ENV: Record<LiveSourceName, string> = {
  tmdb: 'TMDB_BASE_URL',
  watchmode: 'WATCHMODE_BASE_URL',
  'streaming-availability': 'STREAMING_AVAILABILITY_BASE_URL',
  justwatch: 'JUSTWATCH_BASE_URL',
  youtube: 'YOUTUBE_BASE_URL',
};

const ATTRIBUTION: Partial<Record<LiveSourceName, string>> = {
  tmdb: 'This product uses the TMDB API but is not endorsed or certified by TMDB. Watch provider data by JustWatch.',
  'streaming-availability': 'Streaming Availability API by Movie of the Night.',
  justwatch: 'Data by JustWatch (unofficial GraphQL API; opt-in).',
};

/**
 * The attribution people must see next to data from a source that requires it (TMDb's watch
 * providers come from JustWatch), by offer source name (`tmdb:US`) or base name; undefined otherwise.
 */
export function offerAttribution(offerSource: string): string | undefined {
  const base = offerSource.split(':')[0] ?? '';
  return isLiveSource(base) ? ATTRIBUTION[base] : undefined;
}

export interface SourceConfig {
  source: LiveSourceName;
  baseUrl: string;
  keys: string[];
  /** TMDb: the keys are v4 read tokens (Bearer) rather than v3 api_key values. */
  bearer?: boolean;
  /** TMDb daily export files (full sweeps). */
  exportsUrl?: string;
}

const splitKeys = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/**
 * Which sources are configured, from the source keys (apps pass `config.catalog.sourceKeys`; this package
 * never reads process.env). Several comma-separated keys enable rotation.
 */
export function liveSourceConfig(
  source: LiveSourceName,
  env: Readonly<Record<string, string | undefined>>,
): SourceConfig | { missing: string } {
  const baseUrl = env[BASE_ENV[source]] || DEFAULT_BASE[source];
  switch (source) {
    case 'tmdb': {
      const bearer = splitKeys(env['TMDB_BEARER_TOKEN']);
      const keys = bearer.length ? bearer : splitKeys(env['TMDB_API_KEY']);
      if (!keys.length) return { missing: 'set TMDB_API_KEY or TMDB_BEARER_TOKEN' };
      return {
        source,
        baseUrl,
        keys,
        bearer: bearer.length > 0,
        exportsUrl: env['TMDB_EXPORTS_URL'] || 'https://files.tmdb.org/p/exports',
      };
    }
    case 'watchmode': {
      const keys = splitKeys(env['WATCHMODE_API_KEY']);
      return keys.length ? { source, baseUrl, keys } : { missing: 'set WATCHMODE_API_KEY' };
    }
    case 'streaming-availability': {
      const keys = splitKeys(env['STREAMING_AVAILABILITY_API_KEY']);
      return keys.length ? { source, baseUrl, keys } : { missing: 'set STREAMING_AVAILABILITY_API_KEY (RapidAPI key)' };
    }
    case 'justwatch':
      return env['JUSTWATCH_ENABLED'] === 'true'
        ? { source, baseUrl, keys: [] }
        : { missing: 'set JUSTWATCH_ENABLED=true (unofficial API, off by default)' };
    case 'youtube': {
      const keys = splitKeys(env['YOUTUBE_API_KEY']);
      return keys.length ? { source, baseUrl, keys } : { missing: 'set YOUTUBE_API_KEY' };
    }
  }
}

/**
 * Default schedule: hourly incremental, daily full sweep (minutes;
 * MG_INGEST_<SOURCE>_EVERY overrides are parsed by the worker).
 */
export const DEFAULT_SCHEDULE = { incrementalEveryMinutes: 60, fullEveryMinutes: 1440 };

export function liveSourceStatuses(env: Readonly<Record<string, string | undefined>>): LiveSourceStatus[] {
  return LIVE_SOURCES.map((source) => {
    const c = liveSourceConfig(source, env);
    const attribution = ATTRIBUTION[source];
    return {
      source,
      configured: !('missing' in c),
      ...('missing' in c ? { missing: c.missing } : {}),
      keys: 'missing' in c ? 0 : c.keys.length,
      baseUrl: 'missing' in c ? env[BASE_ENV[source]] || DEFAULT_BASE[source] : c.baseUrl,
      ...(attribution ? { attribution } : {}),
      schedule: DEFAULT_SCHEDULE,
    };
  });
}
