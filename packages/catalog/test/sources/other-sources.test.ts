import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { getTitle } from '../../src/index.ts';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { type FixtureServer, fixture, startFixtureServer } from '../../testing/fixture-server.ts';

async function titleByImdb(db: Db, imdb: string) {
  const ids = await db.query<{ title_id: string }>(
    `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = $1`,
    [imdb],
  );
  return getTitle(db, ids.rows[0]!.title_id, { region: 'US' });
}

for (const backend of testBackends()) {
  describe(`Watchmode, Streaming Availability, JustWatch and YouTube connectors on ${backend}`, () => {
    let db: Db;
    let server: FixtureServer;
    let youtubeQuota = false;
    let env: Record<string, string>;
    before(async () => {
      db = await freshDb(backend);
      server = await startFixtureServer((req) => {
        if (req.path === '/wm/list-titles/') return { body: fixture('watchmode', 'list-titles-1.json') };
        const wm = /^\/wm\/title\/(\d+)\/details\/$/.exec(req.path);
        if (wm) return { body: fixture('watchmode', `title-${wm[1]}-details.json`) };
        if (req.path === '/sa/shows/search/filters')
          return {
            body: fixture('streaming-availability', req.query.get('cursor') ? 'filters-2.json' : 'filters-1.json'),
          };
        if (req.path === '/sa/changes')
          return {
            body: fixture(
              'streaming-availability',
              req.query.get('change_type') === 'updated' ? 'changes-updated.json' : 'changes-empty.json',
            ),
          };
        if (req.path === '/jw/graphql') return { body: fixture('justwatch', 'popular-0.json') };
        if (youtubeQuota && req.path.startsWith('/yt/'))
          return { status: 403, body: fixture('youtube', 'quota-exceeded.json') };
        if (req.path === '/yt/search') return { body: fixture('youtube', 'search-matrix.json') };
        if (req.path === '/yt/videos') return { body: fixture('youtube', 'videos-matrix.json') };
        return undefined;
      });
      env = {
        WATCHMODE_API_KEY: 'wm-key',
        WATCHMODE_BASE_URL: `${server.url}/wm`,
        STREAMING_AVAILABILITY_API_KEY: 'sa-key',
        STREAMING_AVAILABILITY_BASE_URL: `${server.url}/sa`,
        JUSTWATCH_ENABLED: 'true',
        JUSTWATCH_BASE_URL: `${server.url}/jw`,
        YOUTUBE_API_KEY: 'yt-key',
        YOUTUBE_BASE_URL: `${server.url}/yt`,
      };
    });
    after(async () => {
      await server.close();
      await db.close();
    });

    test('each source without its variable says exactly what to set', async () => {
      const expected = {
        watchmode: /WATCHMODE_API_KEY/,
        'streaming-availability': /STREAMING_AVAILABILITY_API_KEY/,
        justwatch: /JUSTWATCH_ENABLED=true/,
        youtube: /YOUTUBE_API_KEY/,
      } as const;
      for (const [source, pattern] of Object.entries(expected)) {
        const r = await runLiveSource({
          db,
          source: source as keyof typeof expected,
          region: 'US',
          mode: 'incremental',
          env: {},
        });
        assert.equal(r.status, 'not-configured');
        assert.match((r as { message: string }).message, pattern);
      }
    });

    test('Watchmode: deduped sources, web URLs kept, "paid plans only" is no link, bad details rejected', async () => {
      const r = await runLiveSource({ db, source: 'watchmode', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.summary.counts.rows, 2);
      assert.equal(r.summary.counts.rejected, 1, 'title 1462 has no title and an unknown type');
      assert.equal(server.requests.find((q) => q.path.startsWith('/wm/'))?.headers['x-api-key'], 'wm-key');
      const t = await titleByImdb(db, 'tt0903747');
      const netflix = t?.offers['US']?.['netflix'];
      assert.equal(netflix?.length, 1, 'HD and 4K rows are one offer');
      assert.equal(netflix?.[0]?.quality, '4K');
      assert.equal(netflix?.[0]?.url, 'https://www.netflix.com/watch/70196252');
      assert.equal(netflix?.[0]?.urlKind, 'direct');
      assert.equal(netflix?.[0]?.appUrl, null, 'the free-plan placeholder is not stored as an app link');
      // Watchmode 349 "iTunes" is Apple's rent/buy store, not the Apple TV+ subscription.
      assert.equal(t?.offers['US']?.['apple-tv-plus'], undefined);
      const apple = t?.offers['US']?.['apple-tv-store']?.[0];
      assert.equal(apple?.price, 1.99);
      assert.equal(apple?.platformName, 'Apple TV Store');
      assert.doesNotMatch(apple!.url ?? '', /at=10laHb/, 'affiliate tag stripped');
    });

    test(
      'Streaming Availability: cursor pagination, native links, ' +
        'string prices, expiresOn → available until; then merges by IMDb id',
      async () => {
        const r = await runLiveSource({ db, source: 'streaming-availability', region: 'US', mode: 'full', env });
        assert.equal(r.status, 'completed');
        if (r.status !== 'completed') return;
        assert.equal(r.summary.counts.rows, 3);
        assert.equal(r.summary.counts.rejected, 1);
        const second = server.requests.filter((q) => q.path === '/sa/shows/search/filters')[1];
        assert.equal(second?.query.get('cursor'), '82:The Godfather', 'the next cursor is passed back');
        assert.equal(second?.headers['x-rapidapi-key'], 'sa-key');
        assert.equal(r.summary.counts.mergedIntoExisting, 1, 'Breaking Bad joins the Watchmode title by IMDb id');
        const g = await titleByImdb(db, 'tt0068646');
        const nf = g?.offers['US']?.['netflix']?.[0];
        assert.equal(nf?.url, 'https://www.netflix.com/title/60011152/');
        assert.equal(nf?.availableUntil, new Date(1893456000 * 1000).toISOString());
        // SA names one service "apple" for both; its rent option is the store (`apple.rent`), not Apple TV+.
        const rent = g?.offers['US']?.['apple-tv-store']?.[0];
        assert.equal(rent?.monetization, 'rent');
        assert.equal(rent?.price, 3.99);
        assert.equal(rent?.currency, 'USD');
      },
    );

    test('Streaming Availability incremental reads /changes for each change type since the last run', async () => {
      const r = await runLiveSource({ db, source: 'streaming-availability', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      const calls = server.requests.filter((q) => q.path === '/sa/changes');
      assert.deepEqual(
        calls.map((q) => q.query.get('change_type')),
        ['new', 'updated', 'removed'],
      );
      assert.ok(Number(calls[0]!.query.get('from')) > 1_700_000_000);
    });

    test("Streaming Availability's first incremental run looks back one day from the sweep's start", async () => {
      // A sweep left in progress on 5 March 2031 is continued: "the last day" is 4 March's, whatever today is.
      await db.query(
        `INSERT INTO ingest_sweeps (source, mode, status, started_at, finished_at)
         VALUES ('streaming-availability:JP', 'incremental', 'in_progress', '2031-03-05T06:00:00Z', NULL)`,
      );
      const from = server.requests.length;
      const r = await runLiveSource({ db, source: 'streaming-availability', region: 'JP', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      const calls = server.requests.slice(from).filter((q) => q.path === '/sa/changes');
      assert.equal(calls.length, 3);
      for (const call of calls) {
        assert.equal(call.query.get('country'), 'jp');
        assert.equal(Number(call.query.get('from')), Date.parse('2031-03-04T06:00:00Z') / 1000);
      }
    });

    test('JustWatch: POSTs GraphQL, drops physical media, keeps unmapped packages, strips affiliate tags', async () => {
      const r = await runLiveSource({ db, source: 'justwatch', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.summary.counts.rejected, 1, 'the node with a bad id is rejected');
      const body = JSON.parse(server.requests.find((q) => q.path === '/jw/graphql')!.body) as {
        variables: { country: string; first: number };
      };
      assert.deepEqual([body.variables.country, body.variables.first], ['US', 40]);
      const m = await titleByImdb(db, 'tt0133093');
      // Package 2 "Apple TV Store" is Apple's rent/buy store, not the Apple TV+ subscription (issue 15).
      assert.equal(m?.offers['US']?.['apple-tv-plus'], undefined);
      const apple = m?.offers['US']?.['apple-tv-store']?.[0];
      assert.equal(apple?.monetization, 'rent');
      assert.equal(apple?.urlKind, 'direct');
      assert.equal(
        apple?.url,
        'https://tv.apple.com/us/movie/the-matrix/' +
          'umc.cmc.af8k9kcq9r1s1qmmdxpq4itn?playableId=tvs.sbd.9001%3A271469518',
      );
      assert.equal(m?.offers['US']?.['prime-video'], undefined, 'the Blu-ray offer is not a streaming offer');
      assert.equal(m?.offers['US']?.['amazon-video'], undefined, 'the Blu-ray offer is not a store offer either');
      // Package 2528 "YouTube TV" is in no registry entry: kept under JustWatch's id and name, with its link.
      const ytt = m?.offers['US']?.['justwatch-package-2528']?.[0];
      assert.equal(ytt?.platformName, 'YouTube TV');
      assert.equal(ytt?.monetization, 'subscription');
      assert.equal(ytt?.url, 'https://tv.youtube.com/browse/UCpZA8rufjU5pHypV5FhlQOw');
      assert.equal(ytt?.urlKind, 'direct');
      const stored = await db.query<{ name: string; source: string }>(
        `SELECT name, source FROM providers WHERE id = 'justwatch-package-2528'`,
      );
      assert.equal(stored.rows[0]?.name, 'YouTube TV');
      assert.match(stored.rows[0]?.source ?? '', /^justwatch/);
    });

    test('JustWatch: GraphQL errors[] on HTTP 200 are a failure, not an empty page', async () => {
      server.fail(1, { status: 200, body: fixture('justwatch', 'graphql-errors.json') }, '/jw/graphql');
      const r = await runLiveSource({ db, source: 'justwatch', region: 'US', mode: 'incremental', env });
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.outcome.complete, false);
      assert.match(r.summary.problems[0]?.reason ?? '', /operation complexity/);
    });

    test(
      "YouTube: a rights holder's free full-length upload becomes " +
        'a free offer; the trailer and the store rental do not',
      async () => {
        const r = await runLiveSource({ db, source: 'youtube', region: 'US', mode: 'incremental', env });
        assert.equal(r.status, 'completed');
        if (r.status !== 'completed') return;
        assert.equal(r.summary.counts.recordsCreated, 1);
        assert.equal(r.summary.counts.mergedIntoExisting, 1);
        const m = await titleByImdb(db, 'tt0133093');
        const yt = m?.offers['US']?.['youtube']?.[0];
        // m8e-FF8MsqU is the same film in YouTube's film store: the API has no price, so it is not offered as free.
        assert.deepEqual(
          m?.offers['US']?.['youtube']?.map((o) => [o.url, o.monetization]),
          [['https://www.youtube.com/watch?v=fR33uPl0ad1', 'free']],
        );
        assert.equal(yt?.monetization, 'free');
      },
    );

    test('YouTube: 403 quotaExceeded is a quota stop — run completes, sweep stays open to resume', async () => {
      youtubeQuota = true;
      const r = await runLiveSource({
        db,
        source: 'youtube',
        region: 'US',
        mode: 'full',
        env,
        deps: { youtubeAnchors: [{ title: 'The Matrix', year: 1999, runtimeMinutes: 136, imdb: 'tt0133093' }] },
      });
      youtubeQuota = false;
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.outcome.stopped, 'quota');
      assert.match(r.summary.problems[0]?.reason ?? '', /quota exceeded/);
      const sweep = await db.query<{ status: string }>(
        `SELECT status FROM ingest_sweeps WHERE source = 'youtube:US' AND mode = 'full'`,
      );
      assert.equal(sweep.rows[0]?.status, 'in_progress');
    });
  });
}
