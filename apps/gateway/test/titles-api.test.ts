import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

const HEADER = 'show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description';
const ROWS = [
  's1,Movie,Arrival,Denis Villeneuve,Amy Adams,United States,,2016,' +
    'PG-13,116 min,"Dramas, Sci-Fi & Fantasy",Linguist meets visitors.',
  's2,TV Show,Dark,,Louis Hofmann,Germany,,2020,TV-MA,3 Seasons,' +
    '"International TV Shows, TV Mysteries",Time travel town.',
  's3,Movie,Hereditary,Ari Aster,Toni Collette,United States,,2018,R,127 min,"Horror Movies",Family grief turns dark.',
  's4,Movie,Zodiac,David Fincher,Jake Gyllenhaal,United States,,2007,R,157 min,"Thrillers",A hunt for a killer.',
  's5,Movie,Coco,Lee Unkrich,Anthony Gonzalez,United States,,' +
    '2017,PG,105 min,"Children & Family Movies",Music and family.',
];

for (const backend of testBackends()) {
  describe(`titles API on ${backend}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ backend });
      const dir = await mkdtemp(join(tmpdir(), 'mg-api-'));
      const file = join(dir, 'netflix_titles.csv');
      await writeFile(file, [HEADER, ...ROWS].join('\n'));
      await ingest({ db: t.ctx.db, source: await openFileSource(file) });
    });
    after(async () => t.close());

    test('lists titles in a stable order and pages with a cursor', async () => {
      const first = await t.app.inject({ url: '/api/titles?limit=2' });
      assert.equal(first.statusCode, 200);
      const page1 = first.json();
      assert.deepEqual(
        page1.items.map((i: { title: string }) => i.title),
        ['Arrival', 'Coco'],
      );
      assert.ok(page1.nextCursor);
      const second = (await t.app.inject({ url: `/api/titles?limit=2&cursor=${page1.nextCursor}` })).json();
      assert.deepEqual(
        second.items.map((i: { title: string }) => i.title),
        ['Dark', 'Hereditary'],
      );
      const third = (await t.app.inject({ url: `/api/titles?limit=2&cursor=${second.nextCursor}` })).json();
      assert.deepEqual(
        third.items.map((i: { title: string }) => i.title),
        ['Zodiac'],
      );
      assert.equal(third.nextCursor, null);
    });

    test('filters by platform, type, genre, years and region', async () => {
      const horror = (await t.app.inject({ url: '/api/titles?genre=horror' })).json();
      assert.deepEqual(
        horror.items.map((i: { title: string }) => i.title),
        ['Hereditary'],
      );
      const series = (await t.app.inject({ url: '/api/titles?type=series&platform=netflix&region=us' })).json();
      assert.deepEqual(
        series.items.map((i: { title: string }) => i.title),
        ['Dark'],
      );
      const years = (await t.app.inject({ url: '/api/titles?year_from=2016&year_to=2017&type=movie' })).json();
      assert.deepEqual(
        years.items.map((i: { title: string }) => i.title),
        ['Arrival', 'Coco'],
      );
      const elsewhere = (await t.app.inject({ url: '/api/titles?region=GB' })).json();
      assert.equal(elsewhere.items.length, 0, 'no offers were imported for GB');
    });

    test('shows one title with offers by region and platform, link kind, provenance and confidence', async () => {
      const list = (await t.app.inject({ url: '/api/titles?genre=horror' })).json();
      const id = list.items[0].id;
      const res = await t.app.inject({ url: `/api/titles/${id}` });
      assert.equal(res.statusCode, 200);
      const title = res.json();
      assert.equal(title.title, 'Hereditary');
      assert.equal(title.runtimeMinutes, 127);
      assert.deepEqual(title.maturity, { label: 'R', system: 'us-mpaa', minAge: 17 });
      const offer = title.offers.US.netflix[0];
      assert.equal(offer.urlKind, 'search');
      assert.equal(offer.url, 'https://www.netflix.com/search?q=Hereditary');
      assert.equal(offer.source, 'catalog-csv:netflix');
      assert.equal(title.provenance[0].sourceKey, 's3');
      assert.equal(title.resolution.confidence, 1);
    });

    test('bad input gets a 4xx problem+json with a stable code, never a 500', async () => {
      const cases: Array<[string, number, string]> = [
        ['/api/titles/not-an-id', 400, 'INVALID_INPUT'],
        ['/api/titles/mg_aaaaaaaaaaaa', 404, 'NOT_FOUND'],
        ['/api/titles?limit=abc', 400, 'INVALID_INPUT'],
        ['/api/titles?limit=100000', 400, 'INVALID_INPUT'],
        ['/api/titles?bogus=1', 400, 'INVALID_INPUT'],
        ['/api/titles?platform=myspace', 400, 'INVALID_INPUT'],
        ['/api/titles?genre=%27%3B%20DROP%20TABLE%20titles%3B--', 400, 'INVALID_INPUT'],
        ['/api/titles?year_from=2020&year_to=2000', 400, 'INVALID_INPUT'],
        ['/api/titles?cursor=%7B%7D', 400, 'INVALID_INPUT'],
        ['/api/titles?region=USA', 400, 'INVALID_INPUT'],
        [`/api/titles/${'x'.repeat(5000)}`, 404, 'NOT_FOUND'],
        ['/api/nothing-here', 404, 'NOT_FOUND'],
      ];
      for (const [url, status, code] of cases) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, status, `${url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, url.slice(0, 80));
        assert.equal(res.json().code, code, url.slice(0, 80));
      }
      const stillThere = (await t.app.inject({ url: '/api/titles' })).json();
      assert.equal(stillThere.items.length, 5, 'nothing stored was lost');
    });

    test('health, readiness, platforms and OpenAPI answer', async () => {
      assert.equal((await t.app.inject({ url: '/healthz' })).json().status, 'ok');
      const ready = (await t.app.inject({ url: '/readyz' })).json();
      assert.equal(ready.titles, 5);
      const platforms = (await t.app.inject({ url: '/api/platforms' }))
        .json()
        .platforms.map((p: { id: string }) => p.id);
      for (const id of [
        'netflix',
        'prime-video',
        'disney-plus',
        'hulu',
        'max',
        'apple-tv-plus',
        'paramount-plus',
        'peacock',
        'youtube',
      ]) {
        assert.ok(platforms.includes(id), id);
      }
      const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/api/titles/{id}'].get);
      assert.ok(spec.paths['/api/titles'].get.parameters.some((p: { name: string }) => p.name === 'year_from'));
    });

    test('responses carry a request id', async () => {
      const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
      assert.equal(res.headers['x-request-id'], 'abc-123');
    });
  });
}

describe('sample catalog', () => {
  test('titles from the bundled sample say so, with the as-of date', async () => {
    const t = await createTestApp({ sample: true });
    try {
      const list = (await t.app.inject({ url: '/api/titles?limit=100' })).json();
      const st = list.items.find((i: { title: string }) => i.title === 'Stranger Things');
      assert.ok(st, 'Stranger Things is in the sample');
      const details = (await t.app.inject({ url: `/api/titles/${st.id}` })).json();
      assert.equal(details.sampleData.asOf, '2025-06-01');
      assert.equal(details.externalIds.imdb, 'tt4574334');
      assert.equal(details.offers.US.netflix[0].urlKind, 'search');
      const platforms = new Set(
        list.items.flatMap((i: { offers: Array<{ platform: string }> }) => i.offers.map((o) => o.platform)),
      );
      assert.ok(platforms.size >= 4, 'the sample spans at least 4 platforms');
      assert.ok(list.items.length >= 60);
    } finally {
      await t.close();
    }
  });
});
