import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '@media-gateway/domain';
import type { SearchResponse } from '@media-gateway/domain/contracts';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

const NOW = Date.parse('2025-06-03T12:00:00Z');

/**
 * "Free movies": only titles with a free or ad-supported offer in the region. The sample has none (its services are
 * subscriptions; free offers come from live sources such as JustWatch), so the test adds one Tubi offer, as such a
 * source would.
 */
for (const backend of testBackends()) {
  describe(`search for free titles (${backend})`, () => {
    let t: TestApp;
    let onTubi = '';
    before(async () => {
      t = await createTestApp({ backend, sample: true, clock: manualClock(NOW) });
      const { rows } = await t.ctx.db.query<{ id: string }>(
        `SELECT t.id FROM titles t WHERE t.kind = 'movie' AND EXISTS (SELECT 1 FROM offers o WHERE o.title_id = t.id)
         ORDER BY t.id LIMIT 1`,
      );
      onTubi = rows[0]!.id;
      await t.ctx.db.query(
        `INSERT INTO offers (source, source_key, platform, region, monetization, title_id, web_url, url_kind, seen_at)
         VALUES ('another-source', $1, 'tubi', 'US', 'ads', $1, 'https://tubitv.com/search/x', 'search', $2)`,
        [onTubi, new Date(NOW - 86_400_000)],
      );
    });
    after(() => t.close());

    const search = async (query: string, region = 'US') =>
      (await t.app.inject({ method: 'POST', url: '/api/search', payload: { query, region } })).json() as SearchResponse;

    it('[Q19] "free movies" lists the titles with a free or ad-supported offer, and says where', async () => {
      const body = await search('free movies');
      assert.equal(body.understood.freeOnly, true);
      assert.deepEqual(
        body.results.map((r) => r.id),
        [onTubi],
      );
      assert.match(body.results[0]!.why, /free on Tubi/);
      assert.ok(body.results[0]!.offers.some((o) => o.platform === 'tubi' && o.monetization === 'ads'));
      // A title's name is not a price: "free guy" searches the words.
      assert.equal((await search('free guy')).understood.freeOnly, undefined);
    });

    it('[Q19] a region no source reported a free offer for says so, instead of "try removing"', async () => {
      const body = await search('free movies', 'GB');
      assert.deepEqual(body.results, []);
      assert.match(body.understood.notes.join(' '), /No source has reported a free or ad-supported offer in GB yet/);
    });
  });
}
