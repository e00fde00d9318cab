import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '@media-gateway/domain';
import type { SearchResponse } from '@media-gateway/domain/contracts';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-03T12:00:00Z');

/**
 * "What's leaving Netflix?": only titles whose offer there ends within 30 days of the gateway's clock. The sample
 * carries no end dates (no file does: they come from Streaming Availability), so the test gives two Netflix titles
 * one, as a live source would.
 */
for (const backend of testBackends()) {
  describe(`search for titles leaving a service (${backend})`, () => {
    let t: TestApp;
    let soon = '';
    let later = '';
    before(async () => {
      t = await createTestApp({ backend, sample: true, clock: manualClock(NOW) });
      const { rows } = await t.ctx.db.query<{ title_id: string }>(
        `SELECT DISTINCT o.title_id FROM offers o WHERE o.platform = 'netflix' AND o.region = 'US' ORDER BY 1 LIMIT 2`,
      );
      [soon, later] = rows.map((r) => r.title_id) as [string, string];
      const end = (id: string, at: number) =>
        t.ctx.db.query(`UPDATE offers SET available_until = $2 WHERE title_id = $1 AND platform = 'netflix'`, [
          id,
          new Date(at),
        ]);
      await end(soon, NOW + 10 * DAY);
      await end(later, NOW + 60 * DAY);
    });
    after(() => t.close());

    const search = async (query: string, region = 'US') =>
      (await t.app.inject({ method: 'POST', url: '/api/search', payload: { query, region } })).json() as SearchResponse;

    it("[Q18] 'what's leaving netflix' lists what ends within 30 days, with the date", async () => {
      const body = await search("what's leaving netflix");
      assert.equal(body.understood.leavingWithinDays, 30);
      assert.deepEqual(body.understood.services, ['netflix']);
      assert.deepEqual(
        body.results.map((r) => r.id),
        [soon],
      );
      const day = new Date(NOW + 10 * DAY).toISOString().slice(0, 10);
      assert.match(body.results[0]!.why, new RegExp(`leaves Netflix on ${day}`));
      assert.equal(body.results[0]!.offers[0]!.availableUntil, new Date(NOW + 10 * DAY).toISOString());
      // Sixty days out is not "soon"; "this week" is seven days.
      assert.deepEqual((await search('leaving netflix this week')).results, []);
      assert.equal((await search('leaving netflix this week')).understood.leavingWithinDays, 7);
    });

    it('[Q18] a region no source gave end dates for says so, instead of "try removing"', async () => {
      const body = await search('leaving soon', 'GB');
      assert.deepEqual(body.results, []);
      assert.match(body.understood.notes.join(' '), /No source has reported when titles leave GB yet/);
    });
  });
}
