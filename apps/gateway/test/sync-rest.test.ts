import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';
import { device, listen, sampleTitleIds, waitFor } from './sync-helpers.ts';

for (const backend of testBackends()) {
  describe(`watchlist, progress and devices over REST (${backend})`, () => {
    let t: TestApp;
    let titles: string[];
    let auth: Record<string, string>;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      titles = await sampleTitleIds(t, 3);
      auth = { authorization: `Bearer ${await t.token('u-rest', ['watchlist:read', 'watchlist:write', 'devices'])}` };
    });
    after(() => t.close());

    test('[R1] add, list, remove; unknown titles and bad ids are 4xx problems', async () => {
      const add = await t.app.inject({
        method: 'POST',
        url: '/api/watchlist',
        headers: auth,
        payload: { titleId: titles[0] },
      });
      assert.equal(add.statusCode, 201, add.body);
      assert.equal(add.json().titleId, titles[0]);
      // Adding it again keeps it as it was (200): the second add does not move it to the top.
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/watchlist',
        headers: auth,
        payload: { titleId: titles[0] },
      });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().addedAt, add.json().addedAt);
      const list = await t.app.inject({ method: 'GET', url: '/api/watchlist', headers: auth });
      assert.deepEqual(
        list.json().items.map((i: { titleId: string }) => i.titleId),
        [titles[0]],
      );
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/watchlist',
        headers: auth,
        payload: { titleId: 'mg_zzzzzzzzzzzz' },
      });
      assert.equal(unknown.statusCode, 404);
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/watchlist',
        headers: auth,
        payload: { titleId: 'nope', extra: 1 },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'INVALID_INPUT');
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `/api/watchlist/${titles[0]}`, headers: auth })).statusCode,
        204,
      );
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `/api/watchlist/${titles[0]}`, headers: auth })).statusCode,
        404,
      );
    });

    test('[R2] PUT progress is 202 and the newest write wins; position past duration is 400', async () => {
      await t.app.inject({ method: 'POST', url: '/api/watchlist', headers: auth, payload: { titleId: titles[1] } });
      const p1 = await t.app.inject({
        method: 'PUT',
        url: `/api/progress/${titles[1]}`,
        headers: auth,
        payload: { positionSeconds: 10, durationSeconds: 100 },
      });
      assert.equal(p1.statusCode, 202, p1.body);
      const p2 = await t.app.inject({
        method: 'PUT',
        url: `/api/progress/${titles[1]}`,
        headers: auth,
        payload: { positionSeconds: 20, watched: true },
      });
      assert.equal(p2.statusCode, 202);
      const item = (await t.app.inject({ method: 'GET', url: '/api/watchlist', headers: auth }))
        .json()
        .items.find((i: { titleId: string }) => i.titleId === titles[1]);
      assert.equal(item.progress.positionSeconds, 20);
      assert.equal(item.watched, true);
      const bad = await t.app.inject({
        method: 'PUT',
        url: `/api/progress/${titles[1]}`,
        headers: auth,
        payload: { positionSeconds: 200, durationSeconds: 100 },
      });
      assert.equal(bad.statusCode, 400);
    });

    test('[R1] each entry is named; a title that leaves the catalog stays on the list by id, unnamed', async () => {
      const own = { authorization: `Bearer ${await t.token('u-named', ['watchlist:read', 'watchlist:write'])}` };
      const add = { method: 'POST' as const, url: '/api/watchlist', headers: own };
      assert.equal((await t.app.inject({ ...add, payload: { titleId: titles[2] } })).statusCode, 201);
      const before = (await t.app.inject({ method: 'GET', url: '/api/watchlist', headers: own })).json().items[0];
      const stored = await t.ctx.db.query<{ title: string; year: number | null; kind: string }>(
        'SELECT title, year, kind FROM titles WHERE id = $1',
        [titles[2]],
      );
      const row = stored.rows[0]!;
      assert.deepEqual([before.title, before.year, before.type], [row.title, row.year, row.kind]);
      await t.ctx.db.query('DELETE FROM titles WHERE id = $1', [titles[2]]);
      const after = (await t.app.inject({ method: 'GET', url: '/api/watchlist', headers: own })).json().items;
      assert.deepEqual(
        after.map((i: { titleId: string; title: string | null }) => [i.titleId, i.title]),
        [[titles[2], null]],
      );
    });

    test("[R3] scopes: no token 401, missing scope 403; one user never sees another's list", async () => {
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/watchlist' })).statusCode, 401);
      const ro = { authorization: `Bearer ${await t.token('u-rest', ['watchlist:read'])}` };
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/api/watchlist', headers: ro, payload: { titleId: titles[0] } }))
          .statusCode,
        403,
      );
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/devices', headers: ro })).statusCode, 403);
      const other = { authorization: `Bearer ${await t.token('u-other', ['watchlist:read'])}` };
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/api/watchlist', headers: other })).json().items, []);
    });

    test('[R4][R5] devices: registered on connect, listed with online state, renamed with PATCH', async () => {
      const url = await listen(t);
      const token = auth.authorization!.slice(7);
      const tv = await device(url.ws, token, 'tv-living', undefined, 'Living room TV');
      const res = await t.app.inject({ method: 'GET', url: '/api/devices', headers: auth });
      const d = res.json().devices.find((x: { id: string }) => x.id === 'tv-living');
      assert.equal(d.name, 'Living room TV');
      assert.equal(d.online, true);
      const patch = await t.app.inject({
        method: 'PATCH',
        url: '/api/devices/tv-living',
        headers: auth,
        payload: { name: 'Den TV', type: 'tv' },
      });
      assert.equal(patch.statusCode, 200, patch.body);
      await waitFor(() => tv.devices().some((x) => x.name === 'Den TV'), 'the device sees its new name');
      assert.equal(
        (await t.app.inject({ method: 'PATCH', url: '/api/devices/nope', headers: auth, payload: { name: 'x' } }))
          .statusCode,
        404,
      );
      assert.equal(
        (await t.app.inject({ method: 'PATCH', url: '/api/devices/tv-living', headers: auth, payload: {} })).statusCode,
        400,
      );
      await tv.close();
      await waitFor(
        async () =>
          (await t.app.inject({ method: 'GET', url: '/api/devices', headers: auth })).json().devices[0].online ===
          false,
        'offline after close',
      );
      const after = (await t.app.inject({ method: 'GET', url: '/api/devices', headers: auth })).json().devices[0];
      assert.ok(after.lastSeen, 'last seen recorded');
    });

    test('[H2] handoff: unknown device 404, platform without an offer 404, else 202 with a stored link', async () => {
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/devices/ghost/handoff',
            headers: auth,
            payload: { titleId: titles[0] },
          })
        ).statusCode,
        404,
      );
      const noOffer = await t.app.inject({
        method: 'POST',
        url: '/api/devices/tv-living/handoff',
        headers: auth,
        payload: { titleId: titles[0], platform: 'no-such-platform' },
      });
      assert.equal(noOffer.statusCode, 404);
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/devices/tv-living/handoff',
        headers: auth,
        payload: { titleId: titles[0], position: 30 },
      });
      assert.equal(ok.statusCode, 202, ok.body);
      assert.equal(ok.json().deliveredLive, false);
      const offers = await t.ctx.db.query<{ web_url: string }>('SELECT web_url FROM offers WHERE title_id = $1', [
        titles[0],
      ]);
      assert.ok(offers.rows.some((o) => o.web_url === ok.json().link.url));
    });
  });
}
