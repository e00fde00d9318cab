import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

const DAY = 86_400_000;

interface Offer {
  platform: string;
  lastSeen: string;
  isStale: boolean;
}

/**
 * What the API says about time is judged by the gateway's clock, not the machine's: staleness,
 * offers that have ended, and search. The clock is set relative to the stored facts, so the test
 * means the same on any day.
 */
for (const backend of testBackends()) {
  describe(`the API reads time from the injected clock (${backend})`, () => {
    let t: TestApp;
    const clock = manualClock(0);
    let titleId = '';
    let seenAt = 0;
    before(async () => {
      t = await createTestApp({ backend, sample: true, clock });
      const { rows } = await t.ctx.db.query<{ id: string; last_seen: Date }>(
        `SELECT t.id, max(o.seen_at) AS last_seen FROM titles t JOIN offers o ON o.title_id = t.id
         WHERE t.title = 'Stranger Things' GROUP BY t.id`,
      );
      titleId = rows[0]!.id;
      seenAt = rows[0]!.last_seen.getTime();
    });
    after(async () => t.close());

    const offersOf = async (): Promise<Offer[]> => {
      const res = await t.app.inject({ url: `/api/titles/${titleId}?region=US` });
      assert.equal(res.statusCode, 200, res.body);
      return Object.values(res.json().offers.US ?? {}).flat() as Offer[];
    };

    test('an offer is stale only once the clock is 7 days past when it was seen', async () => {
      clock.set(seenAt + 6 * DAY);
      assert.ok((await offersOf()).every((o) => !o.isStale));
      clock.set(seenAt + 8 * DAY);
      const later = await offersOf();
      assert.ok(later.length > 0 && later.every((o) => o.isStale));
    });

    test('an offer whose end date has passed on the clock is gone from the title, the list and search', async () => {
      await t.ctx.db.query('UPDATE offers SET available_until = $2 WHERE title_id = $1', [
        titleId,
        new Date(seenAt + 3 * DAY),
      ]);
      const listed = async () =>
        (await t.app.inject({ url: '/api/titles?platform=netflix&region=US&limit=100' }))
          .json()
          .items.some((i: { id: string }) => i.id === titleId);
      // The search service loads its in-memory catalog on first use, after the end date was set.
      const searched = async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/search',
          payload: { query: 'Stranger Things', region: 'US' },
        });
        return res.json().results.some((r: { id: string }) => r.id === titleId);
      };
      clock.set(seenAt + 2 * DAY);
      assert.ok((await offersOf()).length > 0, 'still on offer two days in');
      assert.ok(await listed());
      assert.ok(await searched());
      clock.set(seenAt + 4 * DAY);
      assert.equal((await offersOf()).length, 0, 'ended after three days');
      assert.ok(!(await listed()));
      assert.ok(!(await searched()));
    });
  });
}

describe('staleness is configurable per source kind (MG_STALE_AFTER_DAYS_FILE / _LIVE)', () => {
  test('the sample (a file snapshot) stays fresh 30 days with FILE=30; the live limit does not apply', async () => {
    const clock = manualClock(0);
    const t = await createTestApp({
      sample: true,
      clock,
      env: { MG_STALE_AFTER_DAYS_FILE: '30', MG_STALE_AFTER_DAYS_LIVE: '1' },
    });
    try {
      const { rows } = await t.ctx.db.query<{ id: string; seen: Date }>(
        `SELECT t.id, max(o.seen_at) AS seen FROM titles t JOIN offers o ON o.title_id = t.id
         WHERE t.title = 'Stranger Things' GROUP BY t.id`,
      );
      const { id, seen } = rows[0]!;
      const stale = async () => {
        const offers = Object.values(
          (await t.app.inject({ url: `/api/titles/${id}?region=US` })).json().offers.US ?? {},
        ).flat() as Offer[];
        assert.ok(offers.length > 0);
        return offers.every((o) => o.isStale);
      };
      clock.set(seen.getTime() + 20 * DAY);
      assert.equal(await stale(), false, 'day 20 of 30: fresh');
      const hit = (await t.app.inject({ method: 'POST', url: '/api/search', payload: { query: 'Stranger Things' } }))
        .json()
        .results.find((r: { id: string }) => r.id === id);
      assert.ok(hit.offers.length > 0 && hit.offers.every((o: Offer) => !o.isStale), 'search agrees');
      clock.set(seen.getTime() + 31 * DAY);
      assert.equal(await stale(), true, 'day 31: stale');
    } finally {
      await t.close();
    }
  });

  test('a bad value is refused at start with the variable named', async () => {
    await assert.rejects(createTestApp({ env: { MG_STALE_AFTER_DAYS_LIVE: 'soon' } }), /MG_STALE_AFTER_DAYS_LIVE/);
  });
});
