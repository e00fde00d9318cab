import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dueRuns, loadScheduleState } from '@media-gateway/catalog';
import { noopLogger } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { type FixtureServer, startFixtureServer, tmdbRoutes } from '@media-gateway/catalog/testing';
import { startIngestionWorker } from '../src/worker.ts';
import { createTestApp, type TestApp } from './test-app.ts';

for (const backend of testBackends()) {
  describe(`GET /api/admin/ingestion/runs and the worker on ${backend}`, () => {
    let t: TestApp;
    let server: FixtureServer;
    before(async () => {
      server = await startFixtureServer(tmdbRoutes);
      t = await createTestApp({ backend, env: { TMDB_API_KEY: 'k', TMDB_BASE_URL: `${server.url}/3` } });
    });
    after(async () => {
      await t.close();
      await server.close();
    });

    test('needs a token with the admin scope', async () => {
      assert.equal((await t.app.inject({ url: '/api/admin/ingestion/runs' })).statusCode, 401);
      const token = await t.token('u1', ['catalog:read']);
      const res = await t.app.inject({
        url: '/api/admin/ingestion/runs',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.statusCode, 403);
    });

    test('rejects unknown parameters with a 400 problem', async () => {
      const token = await t.token('admin', ['admin']);
      const res = await t.app.inject({
        url: '/api/admin/ingestion/runs?limit=0&foo=1',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.headers['content-type'] as string, /problem\+json/);
    });

    test('a worker tick runs the configured source; the API lists the run and what the others lack', async () => {
      const worker = startIngestionWorker({
        db: t.ctx.db,
        settings: t.ctx.config.catalog,
        logger: noopLogger,
        autoStart: false,
      });
      const ran = await worker.tick();
      assert.deepEqual(
        ran.map((r) => `${r.source}:${r.region}:${r.mode}`),
        ['tmdb:US:incremental'],
      );
      await worker.stop();
      // Next: the daily full sweep (the incremental one is not due again within the hour).
      const next = dueRuns({
        configured: ['tmdb'],
        regions: ['US'],
        state: await loadScheduleState(t.ctx.db),
        now: new Date(Date.now() + 30 * 60_000),
      });
      assert.deepEqual(
        next.map((r) => r.mode),
        ['full'],
      );
      const token = await t.token('admin', ['admin']);
      const res = await t.app.inject({
        url: '/api/admin/ingestion/runs?source=tmdb',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.statusCode, 200);
      const body = res.json() as {
        sources: Array<{ source: string; configured: boolean; missing?: string }>;
        runs: Array<{ source: string; mode: string; status: string; counts: { rows: number } }>;
      };
      assert.deepEqual(
        body.runs.map((r) => [r.source, r.mode, r.status, r.counts.rows]),
        [['tmdb:US', 'incremental', 'completed', 6]],
      );
      assert.equal(body.sources.find((s) => s.source === 'tmdb')?.configured, true);
      assert.equal(body.sources.find((s) => s.source === 'watchmode')?.missing, 'set WATCHMODE_API_KEY');
    });

    test('GET /api/titles/:id credits JustWatch on offers from TMDb; the admin source list names it', async () => {
      const ids = await t.ctx.db.query<{ title_id: string }>(
        `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0137523'`,
      );
      assert.equal(ids.rows.length, 1, 'Fight Club was ingested by the worker tick');
      const res = await t.app.inject({ url: `/api/titles/${ids.rows[0]!.title_id}?region=US` });
      assert.equal(res.statusCode, 200);
      const offers = Object.values(
        (res.json() as { offers: Record<string, Record<string, Array<{ source: string; attribution?: string }>>> })
          .offers['US'] ?? {},
      ).flat();
      assert.ok(offers.length > 0);
      for (const o of offers) {
        assert.equal(o.source, 'tmdb:US');
        assert.equal(
          o.attribution,
          'This product uses the TMDB API but is not endorsed or ' +
            'certified by TMDB. Watch provider data by JustWatch.',
        );
      }
      const token = await t.token('admin', ['admin']);
      const admin = await t.app.inject({
        url: '/api/admin/ingestion/runs',
        headers: { authorization: `Bearer ${token}` },
      });
      const sources = (admin.json() as { sources: Array<{ source: string; attribution?: string }> }).sources;
      assert.match(sources.find((s) => s.source === 'tmdb')?.attribution ?? '', /Watch provider data by JustWatch/);
      assert.equal(
        sources.find((s) => s.source === 'watchmode')?.attribution,
        undefined,
        'only sources that require one',
      );
    });
  });
}
