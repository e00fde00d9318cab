import { type Page, pagedSource, shapeProblems } from '../../http/paged-listing.ts';
import { SourceHttp } from '../../http/source-http.ts';
import { MalformedResponseError } from '../../http/upstream-errors.ts';
import type { Cursor, LiveRunOptions, LiveSource, SourceConfig } from '../live-sources.ts';
import { mapSaShow } from './sa-mapper.ts';
import { SaChangesPage, SaSearchPage, SaShow } from './sa-types.ts';

/** RapidAPI plans range from 100 requests/day to a few per second; stay polite. */
export const SA_LIMITS = { ratePerSecond: 5, burst: 5 };
const CHANGE_TYPES = ['new', 'updated', 'removed'] as const;

export function createSaHttp(
  config: SourceConfig,
  overrides: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
): SourceHttp {
  const host = new URL(config.baseUrl).host;
  return new SourceHttp({
    source: 'streaming-availability',
    baseUrl: config.baseUrl,
    keys: config.keys,
    auth: (k) => ({ headers: { 'x-rapidapi-key': k, 'x-rapidapi-host': host } }),
    // RapidAPI answers a spent plan quota with 429 and a message naming the quota.
    isQuotaExceeded: (status, body) =>
      status === 429 && /quota/i.test(String((body as { message?: unknown } | undefined)?.message ?? '')),
    ...SA_LIMITS,
    ...overrides,
  });
}

/**
 * Streaming Availability v4: full sweeps page /shows/search/filters for the country; incremental
 * runs read the /changes feed (new, updated, removed) since the last completed run. Both use
 * cursor pagination (`hasMore` + `nextCursor`, passed back URL-encoded by URLSearchParams).
 */
export function streamingAvailabilitySource(
  config: SourceConfig,
  run: LiveRunOptions,
  options: { http?: SourceHttp } = {},
): LiveSource {
  const http = options.http ?? createSaHttp(config);
  const country = run.region.toLowerCase();
  // The feed covers ±31 days; without a previous run, look back one day.
  const from = Math.floor((run.since?.getTime() ?? run.startedAt.getTime() - 86_400_000) / 1000);

  const filtersPage = async (cursor: Cursor, signal?: AbortSignal): Promise<Page<unknown>> => {
    const body = await http.json('/shows/search/filters', {
      query: {
        country,
        series_granularity: 'show',
        order_by: 'popularity_1month',
        output_language: 'en',
        cursor: (cursor as { cursor: string | null }).cursor ?? undefined,
      },
      ...(signal ? { signal } : {}),
    });
    const parsed = SaSearchPage.safeParse(body);
    if (!parsed.success)
      throw new MalformedResponseError(
        'streaming-availability',
        'streaming-availability: /shows/search/filters answered an unexpected shape',
      );
    return {
      items: parsed.data.shows,
      next: parsed.data.hasMore && parsed.data.nextCursor ? { cursor: parsed.data.nextCursor } : undefined,
    };
  };

  const changesPage = async (cursor: Cursor, signal?: AbortSignal): Promise<Page<unknown>> => {
    const c = cursor as { phase: number; cursor: string | null };
    const body = await http.json('/changes', {
      query: {
        country,
        change_type: CHANGE_TYPES[c.phase],
        item_type: 'show',
        from,
        include_unknown_dates: false,
        output_language: 'en',
        cursor: c.cursor ?? undefined,
      },
      ...(signal ? { signal } : {}),
    });
    const parsed = SaChangesPage.safeParse(body);
    if (!parsed.success)
      throw new MalformedResponseError(
        'streaming-availability',
        `streaming-availability: /changes (${CHANGE_TYPES[c.phase]}) answered an unexpected shape`,
      );
    const ids = [...new Set(parsed.data.changes.map((ch) => ch.showId))];
    const items = ids.map((id) => parsed.data.shows[id]).filter((s) => s !== undefined);
    const next: Cursor | undefined =
      parsed.data.hasMore && parsed.data.nextCursor
        ? { phase: c.phase, cursor: parsed.data.nextCursor }
        : c.phase + 1 < CHANGE_TYPES.length
          ? { phase: c.phase + 1, cursor: null }
          : undefined;
    return { items, next };
  };

  return pagedSource<unknown>(
    {
      base: 'streaming-availability',
      http,
      firstCursor: run.mode === 'full' ? { cursor: null } : { phase: 0, cursor: null },
      fetchPage: (cursor, signal) => (run.mode === 'full' ? filtersPage(cursor, signal) : changesPage(cursor, signal)),
      toRecord: async (raw) => {
        const parsed = SaShow.safeParse(raw);
        if (!parsed.success) return { problems: shapeProblems(parsed.error.issues, 'show.') };
        return mapSaShow(parsed.data, run.region);
      },
    },
    run,
  );
}
