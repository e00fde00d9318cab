// bench:connectors — records/s per connector through the full pipeline (fetch → map → resolve →
// upsert) against local fixture servers, and the latency the resilience layer adds per request.
// Listings are scaled up by re-serving the recorded-shape fixtures under distinct synthetic ids
// (bench only; nothing is stored outside the throwaway database). Rate limits are raised so the
// figure is our own throughput, not the API's documented ceiling.
import { freshDb } from '@media-gateway/testkit';
import type { SourceHttp } from '../src/http/source-http.ts';
import { runLiveSource } from '../src/scheduler/run-live-source.ts';
import type { LiveSourceName } from '../src/sources/live-sources.ts';
import { createJustwatchHttp } from '../src/sources/justwatch/justwatch-source.ts';
import { createSaHttp } from '../src/sources/streaming-availability/sa-source.ts';
import { createTmdbHttp } from '../src/sources/tmdb/tmdb-source.ts';
import { createWatchmodeHttp } from '../src/sources/watchmode/watchmode-source.ts';
import { createYoutubeHttp } from '../src/sources/youtube/youtube-source.ts';
import { fixtureJson, startFixtureServer } from '../testing/fixture-server.ts';

const json = process.argv.includes('--json');
const FAST = { ratePerSecond: 100_000, burst: 100_000 };
type Obj = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);
const imdbFor = (n: number) => `tt${String(9_000_000 + n).padStart(7, '0')}`;

const tmdbMovie = fixtureJson('tmdb', 'movie-550.json') as Obj;
const wmDetails = fixtureJson('watchmode', 'title-3173903-details.json') as Obj;
const saShow = (fixtureJson('streaming-availability', 'filters-1.json') as { shows: Obj[] }).shows[0]!;
const jwNode = (
  fixtureJson('justwatch', 'popular-0.json') as { data: { popularTitles: { edges: Array<{ node: Obj }> } } }
).data.popularTitles.edges[0]!.node;
const ytSearch = fixtureJson('youtube', 'search-matrix.json') as { items: Array<{ id: { videoId: string } }> };
const ytVideos = fixtureJson('youtube', 'videos-matrix.json') as { items: Obj[] };

const server = await startFixtureServer((req) => {
  const page = Number(req.query.get('page') ?? '1');
  if (req.path === '/tmdb/discover/movie')
    return {
      body: {
        page,
        total_pages: 5,
        total_results: 100,
        results: Array.from({ length: 20 }, (_, i) => ({ id: 100_000 + page * 100 + i })),
      },
    };
  if (req.path === '/tmdb/discover/tv') return { body: { page: 1, total_pages: 1, total_results: 0, results: [] } };
  let m = /^\/tmdb\/movie\/(\d+)$/.exec(req.path);
  if (m) {
    const n = Number(m[1]);
    return {
      body: {
        ...clone(tmdbMovie),
        id: n,
        title: `Bench Film ${n}`,
        original_title: `Bench Film ${n}`,
        imdb_id: imdbFor(n),
        external_ids: { imdb_id: imdbFor(n) },
      },
    };
  }
  if (req.path === '/wm/list-titles/')
    return {
      body: {
        titles: Array.from({ length: 100 }, (_, i) => ({ id: 5_000_000 + i })),
        page: 1,
        total_results: 100,
        total_pages: 1,
      },
    };
  m = /^\/wm\/title\/(\d+)\/details\/$/.exec(req.path);
  if (m)
    return {
      body: {
        ...clone(wmDetails),
        id: Number(m[1]),
        title: `Bench Series ${m[1]}`,
        imdb_id: imdbFor((Number(m[1]) % 1_000_000) + 300_000),
        tmdb_id: Number(m[1]),
      },
    };
  if (req.path === '/sa/shows/search/filters') {
    const p = Number(req.query.get('cursor') ?? '0');
    const shows = Array.from({ length: 20 }, (_, i) => ({
      ...clone(saShow),
      id: String(p * 20 + i),
      title: `Bench SA ${p * 20 + i}`,
      imdbId: imdbFor(500_000 + p * 20 + i),
      tmdbId: `movie/${900_000 + p * 20 + i}`,
    }));
    return { body: { shows, hasMore: p < 4, ...(p < 4 ? { nextCursor: String(p + 1) } : {}) } };
  }
  if (req.path === '/jw/graphql') {
    const offset = (JSON.parse(req.body) as { variables: { offset: number } }).variables.offset;
    const edges = Array.from({ length: 40 }, (_, i) => ({
      node: {
        ...clone(jwNode),
        id: `tm${700_000 + offset + i}`,
        content: {
          ...(clone(jwNode['content']) as Obj),
          title: `Bench JW ${offset + i}`,
          externalIds: { imdbId: imdbFor(600_000 + offset + i), tmdbId: String(800_000 + offset + i) },
        },
      },
    }));
    return { body: { data: { popularTitles: { edges } } } };
  }
  if (req.path === '/yt/search') {
    const q = req.query.get('q') ?? '';
    const n = /Bench Film (\d+)/.exec(q)?.[1] ?? '0';
    const items = clone(ytSearch.items);
    items[1]!.id.videoId = `bench${n}`;
    return { body: { ...clone(ytSearch), items } };
  }
  if (req.path === '/yt/videos') {
    const id = (req.query.get('id') ?? '').split(',')[1] ?? 'bench0';
    const items = clone(ytVideos.items);
    (items[1] as Obj)['id'] = id;
    (items[1] as { snippet: Obj }).snippet['title'] = `Bench Film ${id.slice(5)} | Full Movie`;
    (items[1] as { contentDetails: Obj }).contentDetails['duration'] = 'PT2H19M';
    return { body: { ...clone(ytVideos), items } };
  }
  return undefined;
});

const env = {
  TMDB_API_KEY: 'k',
  TMDB_BASE_URL: `${server.url}/tmdb`,
  WATCHMODE_API_KEY: 'k',
  WATCHMODE_BASE_URL: `${server.url}/wm`,
  STREAMING_AVAILABILITY_API_KEY: 'k',
  STREAMING_AVAILABILITY_BASE_URL: `${server.url}/sa`,
  JUSTWATCH_ENABLED: 'true',
  JUSTWATCH_BASE_URL: `${server.url}/jw`,
  YOUTUBE_API_KEY: 'k',
  YOUTUBE_BASE_URL: `${server.url}/yt`,
};
const cfg = (source: LiveSourceName, base: string) => ({ source, baseUrl: `${server.url}/${base}`, keys: ['k'] });
const makers: Record<LiveSourceName, () => SourceHttp> = {
  tmdb: () => createTmdbHttp(cfg('tmdb', 'tmdb'), FAST),
  watchmode: () => createWatchmodeHttp(cfg('watchmode', 'wm'), FAST),
  'streaming-availability': () => createSaHttp(cfg('streaming-availability', 'sa'), FAST),
  justwatch: () => createJustwatchHttp(cfg('justwatch', 'jw'), FAST),
  youtube: () => createYoutubeHttp(cfg('youtube', 'yt'), FAST),
};

const rps: Record<string, number> = {};
const db = await freshDb('pglite');
for (const source of ['tmdb', 'watchmode', 'streaming-availability', 'justwatch', 'youtube'] as const) {
  const anchors = Array.from({ length: 50 }, (_, i) => ({
    title: `Bench Film ${100_100 + i}`,
    year: 1999,
    runtimeMinutes: 139,
  }));
  const started = performance.now();
  const r = await runLiveSource({
    db,
    source,
    region: 'US',
    mode: source === 'streaming-availability' ? 'full' : 'incremental',
    env,
    deps: { http: makers[source](), youtubeAnchors: anchors },
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 'completed')
    throw new Error(`${source}: ${r.status} ${'message' in r ? r.message : r.summary.error}`);
  const records = r.summary.counts.recordsCreated + r.summary.counts.recordsUpdated;
  rps[source] = Math.round((records / seconds) * 10) / 10;
  if (!json) console.log(`${source}: ${records} records in ${seconds.toFixed(2)} s`);
}
await db.close();

// Resilience overhead: the same GET raw and through SourceHttp (rate limit, retry, breaker, timeout, cache lookup).
const target = `${server.url}/tmdb/discover/tv`;
const http = createTmdbHttp(cfg('tmdb', 'tmdb'), { ...FAST, cacheEntries: 0 });
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const raw: number[] = [];
const wrapped: number[] = [];
for (let i = 0; i < 100; i++) {
  await time(() => fetch(target).then((r) => r.json()));
  await http.json('/discover/tv');
}
for (let i = 0; i < 600; i++) {
  raw.push(await time(() => fetch(`${target}?api_key=k`).then((r) => r.json())));
  wrapped.push(await time(() => http.json('/discover/tv')));
}
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const overhead = Math.max(0, Math.round((p95(wrapped) - p95(raw)) * 1000) / 1000);
await server.close();

const result = {
  tmdb_rps: rps['tmdb'],
  watchmode_rps: rps['watchmode'],
  streaming_availability_rps: rps['streaming-availability'],
  justwatch_rps: rps['justwatch'],
  youtube_rps: rps['youtube'],
  policy_overhead_p95_ms: overhead,
};
if (!json) console.log(`raw p95 ${p95(raw).toFixed(3)} ms, through SourceHttp p95 ${p95(wrapped).toFixed(3)} ms`);
console.log(JSON.stringify(result));
