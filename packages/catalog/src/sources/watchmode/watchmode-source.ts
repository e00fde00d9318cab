import { MalformedResponseError } from '../../http/upstream-errors.ts';
import { pagedSource, shapeProblems } from '../../http/paged-listing.ts';
import { SourceHttp } from '../../http/source-http.ts';
import type { Cursor, LiveRunOptions, LiveSource, SourceConfig } from '../live-sources.ts';
import { mapWatchmodeTitle } from './watchmode-mapper.ts';
import { WatchmodeDetails, WatchmodeListTitles } from './watchmode-types.ts';

/** About 10 req/s per key (community report, EXTERNAL-APIS.md §0); the monthly quota is the real limit. */
export const WATCHMODE_LIMITS = { ratePerSecond: 8, burst: 8 };
export const WATCHMODE_INCREMENTAL_PAGES = 2;
const PAGE_SIZE = 250;

export function createWatchmodeHttp(
  config: SourceConfig,
  overrides: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
): SourceHttp {
  return new SourceHttp({
    source: 'watchmode',
    baseUrl: config.baseUrl,
    keys: config.keys,
    auth: (k) => ({ headers: { 'x-api-key': k } }),
    ...WATCHMODE_LIMITS,
    ...overrides,
  });
}

/**
 * Watchmode: /list-titles gives ids only (by popularity, in the region), so each title costs one
 * more call: /title/{id}/details with sources appended for the region. Incremental runs read the
 * first pages; full sweeps the whole listing.
 */
export function watchmodeSource(
  config: SourceConfig,
  run: LiveRunOptions,
  options: { http?: SourceHttp } = {},
): LiveSource {
  const http = options.http ?? createWatchmodeHttp(config);
  const lastPage = run.mode === 'incremental' ? WATCHMODE_INCREMENTAL_PAGES : Number.POSITIVE_INFINITY;
  return pagedSource<number>(
    {
      base: 'watchmode',
      http,
      firstCursor: 1,
      skipPage: (c) => (typeof c === 'number' && c < lastPage ? c + 1 : undefined),
      fetchPage: async (cursor: Cursor, signal) => {
        const page = cursor as number;
        const body = await http.json('/list-titles/', {
          query: { types: 'movie,tv_series', regions: run.region, sort_by: 'popularity_desc', page, limit: PAGE_SIZE },
          ...(signal ? { signal } : {}),
        });
        const parsed = WatchmodeListTitles.safeParse(body);
        if (!parsed.success)
          throw new MalformedResponseError('watchmode', `watchmode: /list-titles page ${page} is not a title list`);
        const next = page < Math.min(parsed.data.total_pages, lastPage) ? page + 1 : undefined;
        return { items: parsed.data.titles.map((t) => t.id), next };
      },
      toRecord: async (id, { signal }) => {
        const body = await http.json(`/title/${id}/details/`, {
          query: { append_to_response: 'sources', regions: run.region },
          ...(signal ? { signal } : {}),
        });
        const parsed = WatchmodeDetails.safeParse(body);
        if (!parsed.success) return { problems: shapeProblems(parsed.error.issues, `title/${id}.`) };
        return mapWatchmodeTitle(parsed.data, run.region);
      },
    },
    run,
  );
}
