import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { getTitle } from '../../src/index.ts';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { createTmdbHttp } from '../../src/sources/tmdb/tmdb-source.ts';
import { type FixtureServer, fixture, startFixtureServer } from '../../testing/fixture-server.ts';
import { tmdbRoutes } from '../../testing/tmdb-fixture-routes.ts';

for (const backend of testBackends()) {
  describe(`TMDb connector on ${backend}`, () => {
    let db: Db;
    let server: FixtureServer;
    let env: Record<string, string>;
    before(async () => {
      db = await freshDb(backend);
      server = await startFixtureServer(tmdbRoutes);
      env = { TMDB_BEARER_TOKEN: 'test-token', TMDB_BASE_URL: `${server.url}/3` };
    });
    after(async () => {
      await server.close();
      await db.close();
    });

    test('without a key the source is reported as not configured, and nothing is fetched', async () => {
      const r = await runLiveSource({ db, source: 'tmdb', region: 'US', mode: 'incremental', env: {} });
      assert.equal(r.status, 'not-configured');
      assert.ok('message' in r);
      assert.match(r.message, /set TMDB_API_KEY or TMDB_BEARER_TOKEN/);
      assert.equal(server.requests.length, 0);
    });

    test('an incremental run pages discover, maps details, rejects the malformed body and keeps going', async () => {
      const r = await runLiveSource({ db, source: 'tmdb', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.summary.counts.rows, 6, '4 movies over 2 pages + 2 series');
      assert.equal(r.summary.counts.rejected, 1);
      assert.equal(r.summary.counts.recordsCreated, 5);
      const bad = r.summary.problems.find((p) => p.row === 4);
      assert.ok(bad, 'the truncated Inception body is a per-record problem');
      assert.match(bad.reason, /not JSON/);
      assert.ok(server.requests.every((q) => q.headers.authorization === 'Bearer test-token'));
      const details = server.requests.find((q) => q.path === '/3/movie/550');
      assert.equal(
        details?.query.get('append_to_response'),
        'external_ids,credits,keywords,release_dates,watch/providers',
      );
    });

    test('TMDb offers are search links on our platform registry (no invented deep links)', async () => {
      const ids = await db.query<{ title_id: string }>(
        `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0137523'`,
      );
      const t = await getTitle(db, ids.rows[0]!.title_id, { region: 'US' });
      assert.ok(t);
      assert.equal(t.title, 'Fight Club');
      assert.equal(t.runtimeMinutes, 139);
      assert.deepEqual(t.people.directors, ['David Fincher']);
      const netflix = t.offers['US']?.['netflix']?.[0];
      assert.equal(netflix?.monetization, 'subscription');
      assert.equal(netflix?.urlKind, 'search');
      assert.match(netflix!.url ?? '', /^https:\/\/www\.netflix\.com\/search\?q=Fight%20Club$/);
      // TMDb 2 "Apple TV" is Apple's rent/buy store, not Apple TV+ (issue 15).
      assert.equal(t.offers['US']?.['apple-tv-store']?.[0]?.monetization, 'rent');
      assert.equal(t.offers['US']?.['apple-tv-plus'], undefined);
      assert.equal(t.offers['GB'], undefined, 'only the requested region is imported');
      const got = await db.query<{ runtime_minutes: number; seasons: number }>(
        `SELECT t.runtime_minutes, t.seasons FROM titles t JOIN external_ids e ON e.title_id = t.id ` +
          `WHERE e.namespace = 'tmdb' AND e.value = 'tv:1399'`,
      );
      assert.deepEqual(
        got.rows[0],
        { runtime_minutes: 80, seasons: 8 },
        'episode_run_time [] falls back to the last episode',
      );
    });

    test('a second run changes nothing (idempotent)', async () => {
      const r = await runLiveSource({ db, source: 'tmdb', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.summary.changes, 0);
      assert.equal(r.summary.counts.unchanged, 5);
    });

    test('429 with Retry-After is waited out and retried', async () => {
      server.fail(
        1,
        { status: 429, headers: { 'retry-after': '1' }, body: fixture('tmdb', 'error-rate-limit.json') },
        '/discover/movie',
      );
      const started = performance.now();
      const r = await runLiveSource({ db, source: 'tmdb', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.ok(performance.now() - started >= 950, 'waited for Retry-After');
      assert.equal(r.http['rateLimited'], 1);
      assert.equal(r.http['retries'], 1);
    });

    test('a 5xx burst opens the breaker (3 failures), fails fast, then a half-open probe closes it', async () => {
      const http = createTmdbHttp(
        { source: 'tmdb', baseUrl: env['TMDB_BASE_URL']!, keys: ['k'] },
        { breakerOpenMs: 300, baseBackoffMs: 1, maxAttempts: 5 },
      );
      server.fail(3, { status: 503, body: { status_code: 11, status_message: 'Internal error' } }, '/discover/');
      const before = server.requests.length;
      const failed = await runLiveSource({
        db,
        source: 'tmdb',
        region: 'US',
        mode: 'incremental',
        env,
        deps: { http },
      });
      assert.equal(failed.status, 'failed');
      if (failed.status !== 'failed') return;
      assert.match(failed.summary.error ?? '', /circuit open/);
      assert.equal(server.requests.length - before, 3, 'the 4th attempt failed fast without a request');
      assert.equal(http.circuitState, 'open');
      await new Promise((r) => setTimeout(r, 350));
      const ok = await runLiveSource({ db, source: 'tmdb', region: 'US', mode: 'incremental', env, deps: { http } });
      assert.equal(ok.status, 'completed');
      assert.equal(http.circuitState, 'closed');
      const runs = await db.query<{ status: string; error: string | null }>(
        `SELECT status, error FROM ingest_runs WHERE source = 'tmdb:US' ORDER BY started_at`,
      );
      assert.deepEqual(
        runs.rows.map((x) => x.status),
        ['completed', 'completed', 'completed', 'failed', 'completed'],
      );
    });
  });
}
