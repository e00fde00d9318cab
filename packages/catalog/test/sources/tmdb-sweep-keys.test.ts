import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { getTitle } from '../../src/index.ts';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { liveSourceStatuses } from '../../src/sources/live-sources.ts';
import { createTmdbHttp } from '../../src/sources/tmdb/tmdb-source.ts';
import { type FixtureServer, fixture, startFixtureServer } from '../../testing/fixture-server.ts';
import { tmdbRoutes } from '../../testing/tmdb-fixture-routes.ts';

/** TMDb's documented answer to a bad key (status_code 7 → HTTP 401, EXTERNAL-APIS.md §1). */
const INVALID_KEY = {
  success: false,
  status_code: 7,
  status_message: 'Invalid API key: You must be granted a valid key.',
};
const EXPORT_DAY = new Date(Date.UTC(2026, 10, 24));

const gz = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../src/sources/tmdb/fixtures/${name}`, import.meta.url)));

for (const backend of testBackends()) {
  describe(`TMDb key rotation, conditional requests, daily export sweep and attribution on ${backend}`, () => {
    let db: Db;
    let server: FixtureServer;
    let base: string;
    before(async () => {
      db = await freshDb(backend);
      server = await startFixtureServer((req) => {
        // Keys named bad… are refused, like TMDb does for a revoked key.
        if (req.path.startsWith('/3/') && req.query.get('api_key')?.startsWith('bad'))
          return { status: 401, body: INVALID_KEY };
        const exp = /^\/exports\/(movie|tv_series)_ids_(\d\d_\d\d_\d{4})\.json\.gz$/.exec(req.path);
        if (exp) {
          // TMDb's file host answers a missing day with an S3 error document, and we also serve one corrupt day.
          if (exp[2] === '11_21_2026')
            return { headers: { 'content-type': 'application/octet-stream' }, body: 'not gzip at all' };
          if (exp[2] !== '11_24_2026') return { status: 404, body: '<Error><Code>NoSuchKey</Code></Error>' };
          return { headers: { 'content-type': 'application/octet-stream' }, body: gz(`${exp[1]}_ids.json.gz`) };
        }
        const answer = tmdbRoutes(req);
        // Revalidation as TMDb's CDN does it: the same ETag in If-None-Match → 304 without a body.
        const etag = answer?.headers?.['etag'];
        if (answer && etag && req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
        return answer;
      });
      base = `${server.url}/3`;
    });
    after(async () => {
      await server.close();
      await db.close();
    });

    test(
      'a full run sweeps the daily ID exports (gzip, one JSON object ' +
        'per line): adult lines skipped, unknown ids rejected, run complete',
      async () => {
        const env = { TMDB_API_KEY: 'good-key', TMDB_BASE_URL: base, TMDB_EXPORTS_URL: `${server.url}/exports` };
        const from = server.requests.length;
        const r = await runLiveSource({
          db,
          source: 'tmdb',
          region: 'US',
          mode: 'full',
          env,
          deps: { exportDay: EXPORT_DAY },
        });
        assert.equal(r.status, 'completed', JSON.stringify(r));
        if (r.status !== 'completed') return;
        const seen = server.requests.slice(from).map((q) => q.path);
        assert.ok(seen.includes('/exports/movie_ids_11_24_2026.json.gz'), 'the movie export of the chosen day is read');
        assert.ok(seen.includes('/exports/tv_series_ids_11_24_2026.json.gz'), 'then the tv_series export');
        assert.ok(!seen.some((p) => p.includes('999999901')), 'adult lines are never fetched');
        assert.ok(!seen.some((p) => p.startsWith('/3/discover')), 'a full sweep does not page discover');
        assert.deepEqual(seen.filter((p) => /^\/3\/(movie|tv)\//.test(p)).sort(), [
          '/3/movie/11',
          '/3/movie/3924',
          '/3/movie/550',
          '/3/movie/603',
          '/3/tv/1399',
          '/3/tv/66732',
        ]);
        assert.equal(r.summary.counts.rows, 6);
        assert.equal(r.summary.counts.rejected, 1, 'id 3924 answers 404: rejected with a reason, the sweep goes on');
        assert.match(r.summary.problems.map((p) => p.reason).join(' | '), /404/);
        assert.equal(r.summary.counts.recordsCreated, 5);
        assert.equal(r.outcome.complete, true);
        const keys = await db.query<{ source_key: string }>(
          `SELECT source_key FROM title_sources WHERE source = 'tmdb:US' ORDER BY 1`,
        );
        assert.deepEqual(
          keys.rows.map((k) => k.source_key),
          ['movie:11', 'movie:550', 'movie:603', 'tv:1399', 'tv:66732'],
        );
      },
    );

    test('a missing export file fails the run with the URL, nothing is invented', async () => {
      const env = { TMDB_API_KEY: 'good-key', TMDB_BASE_URL: base, TMDB_EXPORTS_URL: `${server.url}/exports` };
      const r = await runLiveSource({
        db: db,
        source: 'tmdb',
        region: 'GB',
        mode: 'full',
        env,
        deps: { exportDay: new Date(Date.UTC(2026, 10, 20)) },
      });
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.match(r.summary.error ?? '', /movie_ids_11_20_2026\.json\.gz answered HTTP 404/);
      assert.equal(r.summary.counts.recordsCreated, 0);
    });

    test("without a chosen day, the export read is the day before the sweep started (the scheduler's time)", async () => {
      // A sweep left in progress on 5 March 2031 is continued: its export is 4 March's, whatever today is.
      await db.query(
        `INSERT INTO ingest_sweeps (source, mode, status, started_at, finished_at)
         VALUES ('tmdb:FR', 'full', 'in_progress', '2031-03-05T06:00:00Z', NULL)`,
      );
      const env = { TMDB_API_KEY: 'good-key', TMDB_BASE_URL: base, TMDB_EXPORTS_URL: `${server.url}/exports` };
      const r = await runLiveSource({ db, source: 'tmdb', region: 'FR', mode: 'full', env });
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.match(r.summary.error ?? '', /movie_ids_03_04_2031\.json\.gz answered HTTP 404/);
    });

    test('a corrupt export stops the listing, naming the file; nothing closes on that evidence', async () => {
      const env = { TMDB_API_KEY: 'good-key', TMDB_BASE_URL: base, TMDB_EXPORTS_URL: `${server.url}/exports` };
      const r = await runLiveSource({
        db,
        source: 'tmdb',
        region: 'DE',
        mode: 'full',
        env,
        deps: { exportDay: new Date(Date.UTC(2026, 10, 21)) },
      });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.outcome.stopped, 'malformed-page');
      assert.equal(r.outcome.complete, false);
      assert.match(r.outcome.message ?? '', /movie_ids_11_21_2026\.json\.gz is not a gzip file of JSON lines/);
      assert.equal(r.offersClosed, 0);
    });

    test('two keys: a 401 on the first moves every later call to the second, and the run completes', async () => {
      const env = { TMDB_API_KEY: 'bad-key, good-key', TMDB_BASE_URL: base };
      const from = server.requests.length;
      const r = await runLiveSource({ db, source: 'tmdb', region: 'CA', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      const used = server.requests.slice(from).map((q) => q.query.get('api_key'));
      assert.equal(used[0], 'bad-key');
      assert.ok(
        used.slice(1).every((k) => k === 'good-key'),
        'the rejected key is not tried again',
      );
      assert.equal(r.http['keyRotations'], 1);
      assert.equal(r.summary.counts.recordsCreated, 5);
    });

    test('two keys: a 429 on the first rotates at once instead of waiting out a long Retry-After', async () => {
      const http = createTmdbHttp({ source: 'tmdb', baseUrl: base, keys: ['key-a', 'key-b'] });
      server.fail(
        1,
        { status: 429, headers: { 'retry-after': '60' }, body: fixture('tmdb', 'error-rate-limit.json') },
        '/3/discover/movie',
      );
      const from = server.requests.length;
      const started = performance.now();
      const body = await http.json<{ page: number }>('/discover/movie', { query: { page: 1 } });
      assert.equal(body.page, 1);
      assert.ok(performance.now() - started < 5_000, 'did not wait 60 s');
      assert.deepEqual(
        server.requests.slice(from).map((q) => q.query.get('api_key')),
        ['key-a', 'key-b'],
      );
      assert.equal(http.stats.rateLimited, 1);
      assert.equal(http.stats.keyRotations, 1);
      // key-a cools down for the Retry-After: the next call stays on key-b.
      await http.json('/discover/movie', { query: { page: 2 } });
      assert.equal(server.requests.at(-1)?.query.get('api_key'), 'key-b');
    });

    test("every key rejected: each is tried once, then the run fails with TMDb's reason", async () => {
      const env = { TMDB_API_KEY: 'bad-1,bad-2', TMDB_BASE_URL: base };
      const from = server.requests.length;
      const r = await runLiveSource({ db, source: 'tmdb', region: 'AU', mode: 'incremental', env });
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.match(r.summary.error ?? '', /API key was rejected \(HTTP 401: Invalid API key/);
      assert.deepEqual(
        server.requests.slice(from).map((q) => q.query.get('api_key')),
        ['bad-1', 'bad-2'],
      );
    });

    test('with one key only, a 401 fails with the reason instead of rotating', async () => {
      const http = createTmdbHttp({ source: 'tmdb', baseUrl: base, keys: ['bad-key'] });
      await assert.rejects(
        http.json('/discover/movie', { query: { page: 1 } }),
        /API key was rejected \(HTTP 401: Invalid API key/,
      );
      assert.equal(http.stats.keyRotations, 0);
    });

    test('ETag revalidation: a second run sends If-None-Match; 304s reuse cached bodies and are counted', async () => {
      const http = createTmdbHttp({ source: 'tmdb', baseUrl: base, keys: ['good-key'] });
      const env = { TMDB_API_KEY: 'good-key', TMDB_BASE_URL: base };
      const first = await runLiveSource({
        db,
        source: 'tmdb',
        region: 'MX',
        mode: 'incremental',
        env,
        deps: { http },
      });
      assert.equal(first.status, 'completed');
      assert.equal(http.stats.cacheRevalidated, 0);
      const from = server.requests.length;
      const second = await runLiveSource({
        db,
        source: 'tmdb',
        region: 'MX',
        mode: 'incremental',
        env,
        deps: { http },
      });
      assert.equal(second.status, 'completed');
      if (second.status !== 'completed') return;
      const details = server.requests
        .slice(from)
        .filter((q) => /^\/3\/(movie|tv)\/\d+$/.test(q.path) && q.path !== '/3/movie/27205');
      assert.equal(details.length, 5);
      assert.ok(details.every((q) => q.headers['if-none-match'] === `W/"${q.path.slice(3).replace('/', '-')}"`));
      assert.equal(second.http['cacheRevalidated'], 5, 'each 304 counted');
      assert.equal(
        second.summary.counts.unchanged,
        5,
        'the cached bodies were mapped again: nothing changed, nothing lost',
      );
      assert.equal(second.summary.counts.rejected, 1, 'the truncated body had no ETag and is still rejected');
    });

    test('Last-Modified revalidation: If-Modified-Since is sent back and a 304 returns the cached body', async () => {
      const lm = await startFixtureServer((req) => {
        const stamp = 'Tue, 24 Nov 2026 08:00:00 GMT';
        if (req.headers['if-modified-since'] === stamp) return { status: 304 };
        return { headers: { 'last-modified': stamp }, body: fixture('tmdb', 'movie-603.json') };
      });
      try {
        const http = createTmdbHttp({ source: 'tmdb', baseUrl: `${lm.url}/3`, keys: ['k'] });
        const a = await http.json<{ title: string }>('/movie/603');
        const b = await http.json<{ title: string }>('/movie/603');
        assert.equal(a.title, 'The Matrix');
        assert.deepEqual(b, a);
        assert.equal(lm.requests[1]?.headers['if-modified-since'], 'Tue, 24 Nov 2026 08:00:00 GMT');
        assert.equal(http.stats.cacheRevalidated, 1);
      } finally {
        await lm.close();
      }
    });

    test('offers from TMDb carry the JustWatch attribution; the admin source list names it too', async () => {
      const ids = await db.query<{ title_id: string }>(
        `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0137523'`,
      );
      const t = await getTitle(db, ids.rows[0]!.title_id, { region: 'US' });
      const offers = Object.values(t?.offers['US'] ?? {}).flat();
      assert.ok(offers.length > 0);
      for (const o of offers) {
        assert.equal(o.source, 'tmdb:US');
        assert.match(o.attribution ?? '', /Watch provider data by JustWatch/);
      }
      const tmdb = liveSourceStatuses({}).find((s) => s.source === 'tmdb');
      assert.match(tmdb?.attribution ?? '', /JustWatch/);
    });
  });
}
