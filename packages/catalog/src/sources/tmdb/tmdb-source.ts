import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type Page, pagedSource, shapeProblems } from '../../http/paged-listing.ts';
import { SourceHttp } from '../../http/source-http.ts';
import { MalformedResponseError, UpstreamError } from '../../http/upstream-errors.ts';
import type { Cursor, LiveRunOptions, LiveSource, SourceConfig } from '../live-sources.ts';
import { mapTmdbMovie, mapTmdbTv } from './tmdb-mapper.ts';
import { TmdbExportLine, TmdbListPage, TmdbMovie, TmdbTv } from './tmdb-types.ts';

/** TMDb's soft ceiling is ~40–50 req/s (EXTERNAL-APIS.md §0); we stay under it. */
export const TMDB_LIMITS = { ratePerSecond: 35, burst: 20 };
/** Discover pages per list (movie, tv) in an incremental run; TMDb serves at most 500. */
export const TMDB_INCREMENTAL_PAGES = 5;
const EXPORT_PAGE = 100;

type Ref = { kind: 'movie' | 'tv'; id: number };

export function createTmdbHttp(
  config: SourceConfig,
  overrides: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
): SourceHttp {
  return new SourceHttp({
    source: 'tmdb',
    baseUrl: config.baseUrl,
    keys: config.keys,
    auth: config.bearer ? (k) => ({ headers: { authorization: `Bearer ${k}` } }) : (k) => ({ query: { api_key: k } }),
    ...TMDB_LIMITS,
    ...overrides,
  });
}

/** The export file name for a day: files appear by ~08:00 UTC, so a sweep uses yesterday's. */
export function tmdbExportName(kind: 'movie' | 'tv', day: Date): string {
  const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(day.getUTCDate()).padStart(2, '0');
  return `${kind === 'movie' ? 'movie' : 'tv_series'}_ids_${mm}_${dd}_${day.getUTCFullYear()}.json.gz`;
}

/**
 * TMDb: incremental runs page through /discover (titles with providers in the region, by
 * popularity); full sweeps read the daily ID exports. Each id is one details call with
 * external_ids, credits, keywords, release dates/ratings and watch/providers appended.
 */
export function tmdbSource(
  config: SourceConfig,
  run: LiveRunOptions,
  options: { http?: SourceHttp; exportDay?: Date; pagesPerList?: number } = {},
): LiveSource {
  const http = options.http ?? createTmdbHttp(config);
  const region = run.region;
  const pagesPerList = options.pagesPerList ?? TMDB_INCREMENTAL_PAGES;
  const exportDay = options.exportDay ?? new Date(run.startedAt.getTime() - 86_400_000);
  const exportReader = new ExportReader(config.exportsUrl ?? '', exportDay);

  const discoverPage = async (cursor: Cursor, signal?: AbortSignal): Promise<Page<Ref>> => {
    const c = cursor as { list: 'movie' | 'tv'; page: number };
    const body = await http.json(`/discover/${c.list}`, {
      query: {
        watch_region: region,
        with_watch_monetization_types: 'flatrate|free|ads|rent|buy',
        sort_by: 'popularity.desc',
        include_adult: false,
        page: c.page,
      },
      ...(signal ? { signal } : {}),
    });
    const parsed = TmdbListPage.safeParse(body);
    if (!parsed.success)
      throw new MalformedResponseError('tmdb', `tmdb: /discover/${c.list} page ${c.page} is not a result page`);
    const last = Math.min(parsed.data.total_pages, pagesPerList, 500);
    const next: Cursor | undefined =
      c.page < last ? { list: c.list, page: c.page + 1 } : c.list === 'movie' ? { list: 'tv', page: 1 } : undefined;
    return { items: parsed.data.results.map((r) => ({ kind: c.list, id: r.id })), next };
  };

  const exportPage = async (cursor: Cursor): Promise<Page<Ref>> => {
    const c = cursor as { list: 'movie' | 'tv'; line: number };
    const { ids, consumed } = await exportReader.read(c.list, c.line, EXPORT_PAGE);
    const next: Cursor | undefined =
      consumed === EXPORT_PAGE
        ? { list: c.list, line: c.line + EXPORT_PAGE }
        : c.list === 'movie'
          ? { list: 'tv', line: 0 }
          : undefined;
    return { items: ids.map((id) => ({ kind: c.list, id })), next };
  };

  return pagedSource<Ref>(
    {
      base: 'tmdb',
      http,
      firstCursor: run.mode === 'full' ? { list: 'movie', line: 0 } : { list: 'movie', page: 1 },
      fetchPage: (cursor, signal) => (run.mode === 'full' ? exportPage(cursor) : discoverPage(cursor, signal)),
      skipPage: (cursor) => {
        const c = cursor as { list: string; page?: number };
        return c.page !== undefined && c.page < pagesPerList ? ({ ...c, page: c.page + 1 } as Cursor) : undefined;
      },
      toRecord: async (ref, { signal }) => {
        const append =
          ref.kind === 'movie'
            ? 'external_ids,credits,keywords,release_dates,watch/providers'
            : 'external_ids,credits,keywords,content_ratings,watch/providers';
        const body = await http.json(`/${ref.kind}/${ref.id}`, {
          query: { append_to_response: append, language: 'en-US' },
          ...(signal ? { signal } : {}),
        });
        if (ref.kind === 'movie') {
          const parsed = TmdbMovie.safeParse(body);
          if (!parsed.success) return { problems: shapeProblems(parsed.error.issues, `movie/${ref.id}.`) };
          if (parsed.data.adult) return { problems: [{ field: 'adult', reason: 'adult titles are not imported' }] };
          return mapTmdbMovie(parsed.data, region);
        }
        const parsed = TmdbTv.safeParse(body);
        if (!parsed.success) return { problems: shapeProblems(parsed.error.issues, `tv/${ref.id}.`) };
        return mapTmdbTv(parsed.data, region);
      },
    },
    run,
  );
}

/**
 * Streams a daily export (gzip, one JSON object per line — not a JSON array) and hands out ids
 * in slices. Reading is sequential; a resume re-opens the file and skips to the line.
 */
class ExportReader {
  private lines: AsyncIterator<string> | undefined;
  private kind: 'movie' | 'tv' | undefined;
  private position = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly day: Date,
  ) {}

  /** Ids of the next `count` lines (adult titles and unreadable lines left out) and how many lines were read. */
  async read(kind: 'movie' | 'tv', fromLine: number, count: number): Promise<{ ids: number[]; consumed: number }> {
    if (this.kind !== kind || this.position !== fromLine || !this.lines) await this.open(kind, fromLine);
    const ids: number[] = [];
    let consumed = 0;
    while (consumed < count) {
      const next = await this.nextLine(kind);
      if (next.done) break;
      consumed++;
      this.position++;
      let json: unknown;
      try {
        json = JSON.parse(next.value);
      } catch {
        continue;
      }
      const line = TmdbExportLine.safeParse(json);
      if (line.success && !line.data.adult) ids.push(line.data.id);
    }
    return { ids, consumed };
  }

  /** zlib's own errors ("incorrect header check") say nothing about which file: name it, as a malformed listing. */
  private async nextLine(kind: 'movie' | 'tv'): Promise<IteratorResult<string>> {
    try {
      return await this.lines!.next();
    } catch (error) {
      this.lines = undefined;
      throw new MalformedResponseError(
        'tmdb',
        `tmdb: daily export ${tmdbExportName(kind, this.day)} is ` +
          `not a gzip file of JSON lines (${(error as Error).message})`,
      );
    }
  }

  private async open(kind: 'movie' | 'tv', fromLine: number): Promise<void> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/${tmdbExportName(kind, this.day)}`;
    const res = await fetch(url).catch((e: Error) => {
      throw new UpstreamError('tmdb', undefined, `tmdb: cannot download the daily export ${url}: ${e.message}`, true);
    });
    if (!res.ok || !res.body)
      throw new UpstreamError(
        'tmdb',
        res.status,
        `tmdb: daily export ${url} answered HTTP ${res.status}`,
        res.status >= 500,
      );
    const stream = Readable.fromWeb(res.body as never).pipe(createGunzip());
    this.lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
    this.kind = kind;
    this.position = 0;
    while (this.position < fromLine) {
      const n = await this.nextLine(kind);
      if (n.done) break;
      this.position++;
    }
  }
}
