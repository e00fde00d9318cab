import { isRegion, parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';
import { z } from 'zod';
import { STALE_AFTER_DAYS, type StalenessPolicy } from './queries/offer-age.ts';
import { DEFAULT_SCHEDULE } from './sources/live-sources.ts';

const MG_INGEST_REGIONS = setting(
  'MG_INGEST_REGIONS',
  parse.list((s) => isRegion(s.toUpperCase()), 'two-letter region codes (ISO 3166-1, such as US)'),
  'regions the worker ingests live sources for',
  '`US`',
);
const MG_INGEST_INCREMENTAL_MINUTES = setting(
  'MG_INGEST_INCREMENTAL_MINUTES',
  parse.int(1, 1_000_000),
  'live-source incremental schedule (worker role)',
  '`60`',
);
const MG_INGEST_FULL_MINUTES = setting(
  'MG_INGEST_FULL_MINUTES',
  parse.int(1, 1_000_000),
  'live-source full sweep schedule (worker role)',
  '`1440`',
);

const MG_STALE_AFTER_DAYS_LIVE = setting(
  'MG_STALE_AFTER_DAYS_LIVE',
  parse.int(1, 3650),
  'an offer from a live API not confirmed for this many days is shown as stale',
  '`7`',
);
const MG_STALE_AFTER_DAYS_FILE = setting(
  'MG_STALE_AFTER_DAYS_FILE',
  parse.int(1, 3650),
  'the same for offers from imported files (snapshots, the bundled sample), judged from their as-of date',
  '`7`',
);

/**
 * The live sources' keys and endpoints, by the variable names their operators know. Passed to the
 * connectors as this object (never read from process.env here).
 */
const SOURCE_SETTINGS = [
  setting('TMDB_API_KEY', parse.text, 'TMDb v3 key(s), comma-separated = rotation'),
  setting('TMDB_BEARER_TOKEN', parse.text, 'TMDb v4 read token(s) (instead of the v3 key)'),
  setting('TMDB_BASE_URL', parse.url, 'override the TMDb API endpoint', 'TMDb'),
  setting('TMDB_EXPORTS_URL', parse.url, 'override the TMDb daily-export host', 'TMDb'),
  setting('WATCHMODE_API_KEY', parse.text, 'Watchmode key(s)'),
  setting('WATCHMODE_BASE_URL', parse.url, 'override the Watchmode endpoint', 'Watchmode'),
  setting('STREAMING_AVAILABILITY_API_KEY', parse.text, 'Streaming Availability v4 RapidAPI key(s)'),
  setting('STREAMING_AVAILABILITY_BASE_URL', parse.url, 'override the Streaming Availability endpoint', 'RapidAPI'),
  setting('JUSTWATCH_ENABLED', z.enum(['true', 'false']), '`true` opts in to JustWatch’s unofficial GraphQL API'),
  setting('JUSTWATCH_BASE_URL', parse.url, 'override the JustWatch endpoint', 'JustWatch'),
  setting('YOUTUBE_API_KEY', parse.text, 'YouTube Data API v3 key(s)'),
  setting('YOUTUBE_BASE_URL', parse.url, 'override the YouTube endpoint', 'YouTube'),
] as const;

/** Keys and endpoint overrides of the live sources, by variable name (unset = not configured / default). */
export type LiveSourceKeys = Readonly<Partial<Record<string, string | undefined>>>;

/** The catalog's environment variables (validated and documented by the gateway). */
export const CATALOG_SETTINGS: Setting[] = [
  MG_INGEST_REGIONS,
  MG_INGEST_INCREMENTAL_MINUTES,
  MG_INGEST_FULL_MINUTES,
  MG_STALE_AFTER_DAYS_LIVE,
  MG_STALE_AFTER_DAYS_FILE,
  ...SOURCE_SETTINGS,
];

export interface CatalogSettings {
  /** Regions the ingestion worker sweeps (upper case). */
  ingestRegions: string[];
  schedule: { incrementalEveryMinutes: number; fullEveryMinutes: number };
  sourceKeys: LiveSourceKeys;
  /** Days before an offer shows as stale, by source kind. */
  staleness: StalenessPolicy;
}

export function catalogSettings(values: SettingValues): CatalogSettings {
  const sourceKeys: Record<string, string> = {};
  for (const s of SOURCE_SETTINGS) {
    const v = values.get<string>(s);
    if (v !== undefined) sourceKeys[s.name] = v;
  }
  const regions = (values.get(MG_INGEST_REGIONS) ?? []).map((r) => r.toUpperCase());
  return {
    ingestRegions: regions.length > 0 ? regions : ['US'],
    schedule: {
      incrementalEveryMinutes: values.get(MG_INGEST_INCREMENTAL_MINUTES) ?? DEFAULT_SCHEDULE.incrementalEveryMinutes,
      fullEveryMinutes: values.get(MG_INGEST_FULL_MINUTES) ?? DEFAULT_SCHEDULE.fullEveryMinutes,
    },
    sourceKeys,
    staleness: {
      liveDays: values.get(MG_STALE_AFTER_DAYS_LIVE) ?? STALE_AFTER_DAYS,
      fileDays: values.get(MG_STALE_AFTER_DAYS_FILE) ?? STALE_AFTER_DAYS,
    },
  };
}
