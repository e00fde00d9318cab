import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { manualClock } from '@media-gateway/domain';
import type { SearchResponse } from '@media-gateway/domain/contracts';
import { datasetsDir } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

const data = datasetsDir();

/**
 * Ranking questions the sample cannot ask (its titles carry no popularity): the real Prime Video catalog
 * with its cast (catalogs/) and popularity (justwatch/), as seen on 1 June 2022.
 */
describe('search ranking on the real Prime Video catalog', { skip: data.skip }, () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ clock: manualClock('2022-07-01T12:00:00Z') });
    for (const dir of ['catalogs', 'justwatch'])
      await ingest({
        db: t.ctx.db,
        source: await openFileSource(join(data.dir!, dir, 'amazon_prime_titles.csv')),
        seenAt: new Date('2022-06-01'),
      });
  });
  after(() => t?.close());

  const search = async (query: string) =>
    (
      await t.app.inject({ method: 'POST', url: '/api/search', payload: { query, limit: 10 } })
    ).json() as SearchResponse;
  const countriesOf = async (id: string) =>
    ((await t.app.inject({ method: 'GET', url: `/api/titles/${id}` })).json() as { countries: string[] }).countries;

  it("a person's full name in the words puts their titles first ('tom cruise action')", async () => {
    const body = await search('tom cruise action');
    const first = body.results[0]!;
    assert.match(first.why, /with Tom Cruise/, first.title);
    const cast = await t.ctx.db.query<{ cast_members: string[] }>('SELECT cast_members FROM titles WHERE id = $1', [
      first.id,
    ]);
    assert.ok(cast.rows[0]!.cast_members.includes('Tom Cruise'), first.title);
  });

  it("a country's own titles come before co-productions it only shares in ('spanish movies')", async () => {
    const body = await search('spanish movies');
    assert.ok(body.results.length >= 5);
    const top = await Promise.all(body.results.slice(0, 5).map((r) => countriesOf(r.id)));
    // Popularity alone put The Machinist (GB, US, FR, ES) first and no Spanish-only film in the first five.
    assert.deepEqual(top[0], ['ES'], body.results[0]!.title);
    assert.ok(top.filter((c) => c.length === 1).length >= 2, JSON.stringify(top));
    assert.ok(
      top.every((c) => c.includes('ES')),
      'every one meets the constraint',
    );
  });
});
