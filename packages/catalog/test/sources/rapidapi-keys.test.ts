import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { getTitle } from '../../src/index.ts';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { type FixtureServer, fixture, startFixtureServer } from '../../testing/fixture-server.ts';

/**
 * RapidAPI's answer once a plan's quota is spent: HTTP 429, a message naming the quota, X-RateLimit-Requests-* headers.
 */
const QUOTA_SPENT = {
  status: 429,
  headers: {
    'x-ratelimit-requests-limit': '100',
    'x-ratelimit-requests-remaining': '0',
    'x-ratelimit-requests-reset': '41234',
  },
  body: {
    message:
      'You have exceeded the DAILY quota for Requests on your current plan, BASIC. Upgrade your plan ' +
      'at https://rapidapi.com/movie-of-the-night-movie-of-the-night-default/api/streaming-availability',
  },
};

for (const backend of testBackends()) {
  describe(`Streaming Availability (RapidAPI) key rotation on ${backend}`, () => {
    let db: Db;
    let server: FixtureServer;
    before(async () => {
      db = await freshDb(backend);
      server = await startFixtureServer((req) => {
        if (String(req.headers['x-rapidapi-key']).startsWith('spent')) return QUOTA_SPENT;
        if (req.path === '/sa/shows/search/filters')
          return {
            body: fixture('streaming-availability', req.query.get('cursor') ? 'filters-2.json' : 'filters-1.json'),
          };
        return undefined;
      });
    });
    after(async () => {
      await server.close();
      await db.close();
    });

    const env = (keys: string) => ({
      STREAMING_AVAILABILITY_API_KEY: keys,
      STREAMING_AVAILABILITY_BASE_URL: `${server.url}/sa`,
    });

    test('every key out of quota: a quota stop (completed, sweep kept open), not a crash', async () => {
      const from = server.requests.length;
      const r = await runLiveSource({
        db,
        source: 'streaming-availability',
        region: 'US',
        mode: 'full',
        env: env('spent-1,spent-2'),
      });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.outcome.stopped, 'quota');
      assert.equal(r.outcome.complete, false);
      assert.match(r.outcome.message ?? '', /quota/);
      assert.deepEqual(
        server.requests.slice(from).map((q) => q.headers['x-rapidapi-key']),
        ['spent-1', 'spent-2'],
        'each key tried once, then stop',
      );
      assert.equal(r.summary.counts.recordsCreated, 0);
      const sweep = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ingest_sweep_pages WHERE source = 'streaming-availability:US'`,
      );
      assert.ok(sweep.rows[0]!.n >= 1, 'the sweep stays open to resume');
    });

    test('a quota 429 on key A moves to key B for the rest of the run; the sweep resumes and completes', async () => {
      const from = server.requests.length;
      const r = await runLiveSource({
        db,
        source: 'streaming-availability',
        region: 'US',
        mode: 'full',
        env: env('spent-a, good-b'),
      });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      const used = server.requests.slice(from).map((q) => q.headers['x-rapidapi-key']);
      assert.deepEqual(used, ['spent-a', 'good-b', 'good-b'], 'two listing pages on key B after the refusal');
      assert.equal(r.http['keyRotations'], 1);
      assert.equal(r.outcome.stopped, undefined);
      assert.equal(r.outcome.complete, true);
      assert.equal(r.summary.counts.rows, 3);
      const ids = await db.query<{ title_id: string }>(
        `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0068646'`,
      );
      const t = await getTitle(db, ids.rows[0]!.title_id, { region: 'US' });
      const nf = t?.offers['US']?.['netflix']?.[0];
      assert.equal(nf?.url, 'https://www.netflix.com/title/60011152/');
      assert.match(nf?.attribution ?? '', /Streaming Availability API by Movie of the Night/, 'required by its terms');
    });
  });
}
