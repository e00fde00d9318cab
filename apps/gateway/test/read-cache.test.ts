import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest, jsonlCanonicalSource } from '@media-gateway/catalog';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

interface SearchBody {
  results: Array<{ title: string }>;
}

interface TitleView {
  id: string;
  offers: Record<string, Record<string, unknown[]>>;
}

/** Ingests one canonical record as another source would report it. */
async function ingestOne(t: TestApp, record: Record<string, unknown>): Promise<void> {
  const file = join(await mkdtemp(join(tmpdir(), 'mg-cache-')), 'one.jsonl');
  await writeFile(file, `${JSON.stringify(record)}\n`);
  await ingest({ db: t.ctx.db, source: jsonlCanonicalSource(file, { source: 'cache-test', seenAt: new Date() }) });
}

for (const backend of testBackends()) {
  describe(`read caching on ${backend}: ETag/304, and never older than a catalog change`, () => {
    let t: TestApp;
    let id: string;
    before(async () => {
      t = await createTestApp({ backend, sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
      const page = (await t.app.inject({ url: '/api/titles?limit=100' })).json() as {
        items: Array<{ id: string; title: string }>;
      };
      id = page.items.find((x) => x.title === 'Stranger Things')!.id;
    });
    after(async () => t.close());

    test('read endpoints send an ETag; revalidating with it answers 304 with no body', async () => {
      for (const url of [`/api/titles/${id}`, '/api/titles?limit=5', '/api/platforms']) {
        const first = await t.app.inject({ url });
        assert.equal(first.statusCode, 200);
        const etag = first.headers['etag'] as string;
        assert.match(etag, /^"[\w-]{27}"$/, url);
        assert.equal(first.headers['cache-control'], 'no-cache');
        const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
        assert.equal(again.statusCode, 304, url);
        assert.equal(again.body, '');
        const other = await t.app.inject({ url, headers: { 'if-none-match': '"something-else"' } });
        assert.equal(other.statusCode, 200);
      }
    });

    test('repeated reads are served from the cache; a catalog change is visible on the next read', async () => {
      const cache = t.ctx.services.readCache;
      const before = (await t.app.inject({ url: `/api/titles/${id}` })).json() as TitleView;
      const hits = cache.hits;
      const etag = (await t.app.inject({ url: `/api/titles/${id}` })).headers['etag'] as string;
      assert.equal(cache.hits, hits + 1, 'the second read was a cache hit');
      assert.equal(before.offers['US']?.['hulu'], undefined);

      // Another source now reports the same title (same IMDb id) on Hulu.
      await ingestOne(t, {
        id: 'st-on-hulu',
        kind: 'series',
        title: 'Stranger Things',
        year: 2016,
        externalIds: { imdb: 'tt4574334' },
        offers: [{ platform: 'hulu', region: 'US', monetization: 'subscription' }],
      });
      const res = await t.app.inject({ url: `/api/titles/${id}`, headers: { 'if-none-match': etag } });
      assert.equal(res.statusCode, 200, 'the old ETag no longer matches');
      assert.ok(((res.json() as TitleView).offers['US']?.['hulu']?.length ?? 0) > 0, 'the new offer is there');
      assert.notEqual(res.headers['etag'], etag);
    });

    test('a cached search is never older than a new search would be (keyed by the search catalog copy)', async () => {
      const service = await t.ctx.services.search();
      const body = { query: 'quokka expedition', limit: 5 };
      const titles = async () =>
        ((await t.app.inject({ method: 'POST', url: '/api/search', payload: body })).json() as SearchBody).results.map(
          (r) => r.title,
        );
      assert.ok(!(await titles()).includes('Quokka Expedition'));
      await ingestOne(t, {
        id: 'quokka-1',
        kind: 'movie',
        title: 'Quokka Expedition',
        year: 2021,
        description: 'A quokka expedition across Rottnest Island.',
        offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
      });
      // Right after the change the search may not have applied it yet (it checks every second); whatever it
      // answers now must not outlive the moment it does apply it.
      await titles();
      const version = service.answerVersion;
      await service.refresh();
      assert.notEqual(service.answerVersion, version, 'applying the change moves the version');
      assert.ok((await titles()).includes('Quokka Expedition'), 'the new title is found once the search has it');
      const hits = t.ctx.services.readCache.hits;
      assert.ok((await titles()).includes('Quokka Expedition'));
      assert.equal(t.ctx.services.readCache.hits, hits + 1, 'and that answer is cached in turn');
    });

    test('anonymous searches are cached until the catalog changes; signed-in ones are not', async () => {
      const cache = t.ctx.services.readCache;
      await t.ctx.services.search();
      const body = { query: 'space adventure', limit: 5 };
      const first = await t.app.inject({ method: 'POST', url: '/api/search', payload: body });
      const hits = cache.hits;
      const second = await t.app.inject({ method: 'POST', url: '/api/search', payload: body });
      assert.equal(second.statusCode, 200);
      // The cache keeps the serialised answer: a hit is the same JSON, sent as JSON.
      assert.match(String(second.headers['content-type']), /^application\/json/);
      assert.equal(second.body, first.body);
      assert.ok((second.json() as SearchBody).results.length > 0);
      assert.equal(cache.hits, hits + 1);
      const token = await t.token('cache-user', ['watchlist:read']);
      await t.app.inject({
        method: 'POST',
        url: '/api/search',
        payload: body,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(cache.hits, hits + 1, 'a signed-in search is answered afresh');
    });
  });
}
