import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '@media-gateway/domain';
import { type HomeRow as Row, type HomeView as Home, HomeViewSchema } from '@media-gateway/domain/contracts';
import { testBackends } from '@media-gateway/testkit';
import { addHomeFixtures, FIXTURE } from './home-fixtures.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const NOW = Date.parse('2025-06-20T12:00:00Z');

for (const backend of testBackends()) {
  describe(`GET /api/home: discovery rows (${backend})`, () => {
    let t: TestApp;
    let auth: Record<string, string>;
    const clock = manualClock(NOW);
    const ids = new Map<string, string>();
    const idOf = (title: string) => ids.get(title) ?? assert.fail(`no title ${title}`);

    const home = async (url = '/api/home', headers: Record<string, string> = auth): Promise<Home> => {
      const res = await t.app.inject({ url, headers });
      assert.equal(res.statusCode, 200, res.body);
      // Every answer here, signed in or out and with every kind of row, is checked against the contract.
      const parsed = HomeViewSchema.safeParse(res.json());
      assert.ok(parsed.success, `GET ${url} breaks its contract: ${JSON.stringify(parsed.error?.issues, null, 1)}`);
      assert.deepEqual(parsed.data, res.json(), 'the contract keeps every field');
      return parsed.data;
    };
    const row = (h: Home, id: string) => h.rows.find((r) => r.id === id);
    const titlesOf = (r: Row | undefined) => (r?.items ?? []).map((i) => i.title);

    before(async () => {
      t = await createTestApp({ backend, sample: true, clock });
      await addHomeFixtures(t.ctx.db, NOW);
      // Two sample titles get a source popularity figure (the sample has none): the popular row's input.
      await t.ctx.db.query(`UPDATE titles SET popularity = 6.1 WHERE title = 'Stranger Things'`);
      await t.ctx.db.query(`UPDATE titles SET popularity = 5.2 WHERE title = 'Squid Game'`);
      const { rows } = await t.ctx.db.query<{ id: string; title: string }>('SELECT id, title FROM titles');
      for (const r of rows) ids.set(r.title, r.id);
      auth = {
        authorization: `Bearer ${await t.token('u-home', ['watchlist:read', 'watchlist:write', 'recommendations'])}`,
      };
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: auth,
        payload: { region: 'US', services: ['netflix'] },
      });
      assert.equal(put.statusCode, 200, put.body);
      // A region that is no country's code is refused, and what was stored stays.
      const bad = await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: auth,
        payload: { region: 'XX' },
      });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().code, 'INVALID_INPUT');
      assert.match(bad.json().detail, /two-letter ISO code such as US/);
      const kept = await t.app.inject({ url: '/api/me/settings', headers: auth });
      assert.equal(kept.json().region, 'US');
      // Stored before regions were checked: "UK" reads as GB, "XX" as the default, and search works for them.
      for (const [stored, read] of [
        ['UK', 'GB'],
        ['XX', 'US'],
      ]) {
        await t.ctx.db.query(`UPDATE user_settings SET region = $1 WHERE user_id = 'u-home'`, [stored]);
        assert.equal((await t.app.inject({ url: '/api/me/settings', headers: auth })).json().region, read);
        const found = await t.app.inject({
          method: 'POST',
          url: '/api/search',
          headers: auth,
          payload: { query: 'drama' },
        });
        assert.equal(found.statusCode, 200, found.body);
        assert.equal(found.json().understood.region, read);
      }
      await t.ctx.db.query(`UPDATE user_settings SET region = 'US' WHERE user_id = 'u-home'`);
    });
    after(() => t.close());

    test('signed in: only the person’s services, each card with a cover and a dated offer; no empty rows', async () => {
      const h = await home();
      assert.equal(h.signedIn, true);
      assert.deepEqual(h.services, ['netflix']);
      assert.ok(h.rows.length >= 3, h.rows.map((r) => r.id).join());
      for (const r of h.rows) {
        assert.ok(r.items.length > 0, `${r.id} has titles`);
        assert.ok(r.title.length > 0 && r.description.length > 0);
        for (const i of r.items) {
          assert.equal(i.cover, `/api/titles/${i.id}/cover.svg`);
          assert.ok(i.offer, `${r.id}: ${i.title} has the offer that earned its place`);
          assert.equal(i.offer.platform, 'netflix');
          assert.equal(i.offer.region, 'US');
          assert.equal(typeof i.offer.age, 'string');
          assert.ok('lastSeen' in i.offer);
        }
      }
      assert.deepEqual(titlesOf(row(h, 'popular')).slice(0, 2), ['Stranger Things', 'Squid Game']);
      assert.equal(row(h, 'popular')?.title, 'Popular on your services');
      assert.equal(h.sampleData?.asOf, '2025-06-01');
    });

    test('new this month: a source’s date or a live source’s later sweep; never an import date', async () => {
      const fresh = titlesOf(row(await home(), 'new-this-month'));
      assert.deepEqual(new Set(fresh), new Set([FIXTURE.datedNew, FIXTURE.liveNew]));
      // Dated 40 days ago; undated file rows; a live source's first sweep; another service: not new here.
      for (const not of [FIXTURE.datedOld, FIXTURE.undatedRecent, FIXTURE.liveFirstSweep, FIXTURE.otherService])
        assert.ok(!fresh.includes(not), not);
      const newest = row(await home(), 'new-this-month')!.items[0]!;
      assert.equal(newest.title, FIXTURE.liveNew, 'newest appearance first (first seen 2 days ago)');
      assert.equal(newest.offer?.lastSeen, new Date(NOW - 86_400_000).toISOString());
    });

    test('leaving soon: only offers whose source gave a leave date in the next 30 days', async () => {
      const leaving = row(await home(), 'leaving-soon');
      assert.deepEqual(titlesOf(leaving), [FIXTURE.leaving]);
      assert.ok(leaving!.items[0]!.offer);
      // Move the clock past the date: the offer has ended and the row, empty, is gone. (Signed out:
      // the test's access token would have expired by then.)
      assert.ok(row(await home('/api/home?region=US', {}), 'leaving-soon'));
      clock.set(NOW + 11 * 86_400_000);
      try {
        assert.equal(row(await home('/api/home?region=US', {}), 'leaving-soon'), undefined);
      } finally {
        clock.set(NOW);
      }
      // Another source still lists it on Netflix with no end date: it is not leaving (as the alerts and the calendar
      // feed say), so the row, empty, is gone.
      await t.ctx.db.query(
        `INSERT INTO offers (source, source_key, platform, region, monetization, title_id, web_url, url_kind)
         SELECT 'another-source', source_key, platform, region, monetization, title_id, web_url, url_kind
         FROM offers WHERE title_id = $1 AND platform = 'netflix' AND available_until IS NOT NULL`,
        [ids.get(FIXTURE.leaving)],
      );
      try {
        assert.equal(row(await home('/api/home?region=US', {}), 'leaving-soon'), undefined);
      } finally {
        await t.ctx.db.query(`DELETE FROM offers WHERE source = 'another-source'`);
      }
    });

    test('continue watching appears once progress is written; finished titles do not', async () => {
      assert.equal(row(await home(), 'continue-watching'), undefined);
      const started = idOf('Stranger Things');
      const finished = idOf('Squid Game');
      const p1 = await t.app.inject({
        method: 'PUT',
        url: `/api/progress/${started}`,
        headers: auth,
        payload: { positionSeconds: 1200, durationSeconds: 3000 },
      });
      assert.equal(p1.statusCode, 202, p1.body);
      const p2 = await t.app.inject({
        method: 'PUT',
        url: `/api/progress/${finished}`,
        headers: auth,
        payload: { positionSeconds: 2990, durationSeconds: 3000, watched: true },
      });
      assert.equal(p2.statusCode, 202, p2.body);
      const h = await home();
      const cw = row(h, 'continue-watching');
      assert.equal(h.rows[0]?.id, 'continue-watching', 'continue watching comes first');
      assert.deepEqual(
        cw?.items.map((i) => [i.id, i.progress]),
        [[started, { positionSeconds: 1200, durationSeconds: 3000 }]],
      );
    });

    test('on your watchlist, now available: only watchlist titles with an offer on the person’s services', async () => {
      for (const title of [FIXTURE.datedOld, FIXTURE.otherService]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/watchlist',
          headers: auth,
          payload: { titleId: idOf(title) },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      assert.deepEqual(titlesOf(row(await home(), 'watchlist-available')), [FIXTURE.datedOld]);
    });

    test('because you liked X: SONA recommendations with their why, grouped by the liked title', async () => {
      const { rows } = await t.ctx.db.query<{ id: string }>(
        `SELECT DISTINCT t.id FROM titles t JOIN offers o ON o.title_id = t.id
         WHERE 'horror' = ANY(t.genres) AND o.platform = 'netflix' AND o.region = 'US' ORDER BY t.id LIMIT 3`,
      );
      assert.ok(rows.length >= 2, 'the sample has horror titles on Netflix');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/events',
        headers: auth,
        payload: { events: rows.map((r, i) => ({ id: `home-like-${i}`, type: 'like', titleId: r.id })) },
      });
      assert.equal(res.statusCode, 202, res.body);
      const because = (await home()).rows.filter((r) => r.id.startsWith('because-'));
      assert.ok(because.length > 0, 'a "because you liked" row');
      for (const r of because) {
        const anchor = r.id.slice('because-'.length);
        assert.ok(
          rows.some((x) => x.id === anchor),
          'anchored on a title the person liked',
        );
        assert.match(r.title, /^Because you liked /);
        for (const i of r.items) {
          assert.match(i.why ?? '', /^because you (liked|watched) /);
          assert.equal(i.offer?.platform, 'netflix');
        }
      }
    });

    test('signed out: the region’s catalog on every service, no personal rows', async () => {
      const h = await home('/api/home?region=us', {});
      assert.equal(h.signedIn, false);
      assert.equal(h.services, null);
      assert.equal(h.region, 'US');
      const idsOfRows = h.rows.map((r) => r.id);
      assert.ok(!idsOfRows.some((id) => id === 'continue-watching' || id === 'watchlist-available'));
      assert.ok(!idsOfRows.some((id) => id.startsWith('because-')));
      assert.equal(row(h, 'popular')?.title, 'Popular in US');
      assert.ok(titlesOf(row(h, 'new-this-month')).includes(FIXTURE.otherService), 'every service counts');
      // A region with no offers at all: no rows, not empty ones.
      assert.deepEqual((await home('/api/home?region=JP', {})).rows, []);
    });

    test('bad input is a 400 problem; answers carry an ETag and revalidate to 304', async () => {
      for (const url of ['/api/home?region=usa', '/api/home?region=1', '/api/home?limit=3']) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().code, 'INVALID_INPUT');
      }
      const first = await t.app.inject({ url: '/api/home?region=US' });
      const etag = first.headers.etag as string;
      assert.ok(etag);
      assert.equal(first.headers['cache-control'], 'no-cache');
      const again = await t.app.inject({ url: '/api/home?region=US', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const mine = await t.app.inject({ url: '/api/home', headers: auth });
      assert.equal(mine.headers['cache-control'], 'private, no-cache');
      assert.match(String(mine.headers.vary), /authorization/i);
    });
  });
}
