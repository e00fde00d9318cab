import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLOSE, SyncClient, toBase64, type WebSocketCtor } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import { testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import { createTestApp, type TestApp } from './test-app.ts';
import { device, listen, memoryStorage, rawSocket, sampleTitleIds, waitFor } from './sync-helpers.ts';

const ALL = ['watchlist:read', 'watchlist:write', 'devices'] as const;

for (const backend of testBackends()) {
  describe(`sync over WebSocket (${backend})`, () => {
    let t: TestApp;
    let url: { http: string; ws: string };
    let titles: string[];
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      url = await listen(t);
      titles = await sampleTitleIds(t, 4);
    });
    after(() => t.close());

    test('[W1] the upgrade needs a valid token with watchlist:read; 401/403 before any frame', async () => {
      await assert.rejects(rawSocket(url.ws, undefined).opened, /HTTP 401/);
      await assert.rejects(rawSocket(url.ws, 'not-a-jwt').opened, /HTTP 401/);
      await assert.rejects(rawSocket(url.ws, await t.token('u-scope', ['devices'])).opened, /HTTP 403/);
    });

    test('[C1] two devices of one user converge live, both ways', async () => {
      const token = await t.token('u-live', [...ALL]);
      const phone = await device(url.ws, token, 'phone-1');
      const tv = await device(url.ws, token, 'tv-1');
      phone.add(titles[0]!);
      await waitFor(() => tv.watchlist().some((i) => i.titleId === titles[0]), 'tv sees the add');
      tv.setProgress(titles[0]!, 600, 5400);
      await waitFor(() => phone.watchlist()[0]?.progress?.positionSeconds === 600, 'phone sees the progress');
      await phone.flushed();
      await tv.flushed();
      // REST reads the same state
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/watchlist',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.json().items[0].titleId, titles[0]);
      assert.equal(res.json().items[0].progress.positionSeconds, 600);
      await waitFor(() => phone.online.includes('tv-1') && tv.online.includes('phone-1'), 'presence');
      await phone.close();
      await tv.close();
    });

    test('[C3][S1] offline edits on two devices merge on reconnect; a concurrent re-add beats a remove', async () => {
      const token = await t.token('u-offline', [...ALL]);
      const aStore = memoryStorage();
      const a = await device(url.ws, token, 'a', aStore);
      const b = await device(url.ws, token, 'b');
      a.add(titles[1]!);
      a.add(titles[2]!);
      await a.flushed();
      await waitFor(() => b.watchlist().length === 2, 'b has both');
      await a.close();
      await b.close();
      // Both offline. a removes titles[1] and adds titles[3]; b re-adds titles[1] without seeing a's remove.
      const a2 = await SyncClient.open({
        url: url.ws,
        token,
        deviceId: 'a',
        storage: aStore,
        WebSocket: WebSocket as unknown as WebSocketCtor,
      });
      assert.equal(a2.watchlist().length, 2, 'the replica came back from local storage');
      a2.remove(titles[1]!);
      a2.add(titles[3]!);
      a2.setProgress(titles[2]!, 100);
      b.add(titles[1]!);
      a2.connect();
      b.connect();
      await Promise.all([a2.flushed(), b.flushed()]);
      const ids = (c: SyncClient) =>
        c
          .watchlist()
          .map((i) => i.titleId)
          .sort();
      await waitFor(() => ids(a2).length === 3 && ids(b).length === 3, 'both see three titles');
      assert.deepEqual(ids(a2), [titles[1], titles[2], titles[3]].sort());
      assert.deepEqual(ids(b), ids(a2));
      assert.equal(b.watchlist().find((i) => i.titleId === titles[2])?.progress?.positionSeconds, 100);
      await a2.close();
      await b.close();
    });

    test('[W2] a frame that is not JSON closes with 4400; other connections are unaffected', async () => {
      const token = await t.token('u-bad', [...ALL]);
      const good = await device(url.ws, token, 'good');
      const bad = rawSocket(url.ws, token);
      await bad.opened;
      bad.socket.send('{not json');
      assert.equal((await bad.closed).code, CLOSE.MALFORMED);
      const wrongVersion = rawSocket(url.ws, token);
      await wrongVersion.opened;
      wrongVersion.socket.send(JSON.stringify({ v: 9, type: 'hello' }));
      assert.equal((await wrongVersion.closed).code, CLOSE.UNSUPPORTED_VERSION);
      good.add(titles[0]!);
      await good.flushed();
      assert.equal(good.status, 'online');
      await good.close();
    });

    test(
      '[S8] updates that are not ours (nested types, unknown roots, ' +
        'bad values, oversized) are refused with an error frame',
      async () => {
        const token = await t.token('u-evil', [...ALL]);
        const raw = rawSocket(url.ws, token);
        await raw.opened;
        raw.socket.send(
          JSON.stringify({
            v: 1,
            type: 'hello',
            deviceId: 'evil',
            stateVector: toBase64(Y.encodeStateVector(new Y.Doc())),
          }),
        );
        await waitFor(() => raw.frames.some((f) => (f as { type: string }).type === 'welcome'), 'welcome');
        const bad = (fn: (d: Y.Doc) => void) => {
          const d = new Y.Doc();
          fn(d);
          return toBase64(Y.encodeStateAsUpdate(d));
        };
        const cases = [
          bad((d) => d.getMap('secrets').set('x', { a: 1 })),
          bad((d) => d.getMap('watchlist').set('mg_aaaaaaaaaaaa', new Y.Map())),
          bad((d) => d.getMap('watchlist').set('not-a-title', { addedAt: 1, by: 'x' })),
          bad((d) => d.getArray('watchlist').push([1])),
          toBase64(new Uint8Array([1, 2, 3, 4, 5])),
          bad((d) => {
            for (let i = 0; i < 2650; i++)
              d.getMap('devices').set(`d${i}`, {
                name: 'x'.repeat(20),
                type: 'tv',
                capabilities: [],
                hlc: '000000000000001:000000:x',
              });
          }),
        ];
        for (const [id, update] of cases.entries())
          raw.socket.send(JSON.stringify({ v: 1, type: 'update', id, update }));
        await waitFor(
          () => raw.frames.filter((f) => (f as { type: string }).type === 'error').length === cases.length,
          'one error per bad update',
        );
        const codes = raw.frames
          .filter((f) => (f as { type: string }).type === 'error')
          .map((f) => (f as { code: string }).code);
        assert.deepEqual(codes.slice(0, 5), [
          'INVALID_INPUT',
          'INVALID_INPUT',
          'INVALID_INPUT',
          'INVALID_INPUT',
          'INVALID_INPUT',
        ]);
        assert.equal(codes[5], 'PAYLOAD_TOO_LARGE');
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/watchlist',
          headers: { authorization: `Bearer ${token}` },
        });
        assert.deepEqual(res.json().items, []);
        // A frame over the frame cap is cut by the WebSocket layer itself: 1009 (message too big).
        raw.socket.send('x'.repeat(400 * 1024));
        assert.equal((await raw.closed).code, CLOSE.TOO_BIG);
      },
    );

    test('[W3] a hello naming another user is closed with 4403', async () => {
      const raw = rawSocket(url.ws, await t.token('u-me', [...ALL]));
      await raw.opened;
      raw.socket.send(
        JSON.stringify({
          v: 1,
          type: 'hello',
          deviceId: 'x',
          userId: 'u-someone-else',
          stateVector: toBase64(Y.encodeStateVector(new Y.Doc())),
        }),
      );
      assert.equal((await raw.closed).code, CLOSE.FORBIDDEN);
    });

    test("[S9] a flood of frames is closed with 4429; the flooder's other devices keep working", async () => {
      const token = await t.token('u-flood', [...ALL]);
      const calm = await device(url.ws, token, 'calm');
      const raw = rawSocket(url.ws, token);
      await raw.opened;
      for (let i = 0; i < 400; i++) raw.socket.send(JSON.stringify({ v: 1, type: 'ping' }));
      assert.equal((await raw.closed).code, CLOSE.FLOOD);
      calm.add(titles[0]!);
      await calm.flushed();
      await calm.close();
    });

    test('[W4] a token without watchlist:write reads but cannot write', async () => {
      const token = await t.token('u-ro', ['watchlist:read']);
      const ro = await device(url.ws, token, 'ro');
      const errors: string[] = [];
      ro.on('error', (e) => errors.push(e.code));
      ro.add(titles[0]!);
      await waitFor(() => errors.includes('FORBIDDEN'), 'forbidden error');
      await ro.close();
    });

    test('[H1] a handoff reaches the target device live with the catalog deep link', async () => {
      const token = await t.token('u-handoff', [...ALL]);
      const phone = await device(url.ws, token, 'phone');
      const tv = await device(url.ws, token, 'tv');
      const got: Array<{ titleId: string; link: unknown; positionSeconds: number | null }> = [];
      tv.on('handoff', (h) => got.push(h));
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/devices/tv/handoff',
        headers: { authorization: `Bearer ${token}` },
        payload: { titleId: titles[0], position: 1234 },
      });
      assert.equal(res.statusCode, 202, res.body);
      await waitFor(() => got.length === 1, 'tv got the handoff');
      assert.equal(got[0]!.titleId, titles[0]);
      assert.equal(got[0]!.positionSeconds, 1234);
      const offers = await t.ctx.db.query<{ web_url: string }>('SELECT web_url FROM offers WHERE title_id = $1', [
        titles[0],
      ]);
      assert.ok(
        offers.rows.some((o) => o.web_url === (got[0]!.link as { url: string }).url),
        "the link is one of the title's stored offers",
      );
      await waitFor(() => tv.inbox().length === 1, 'inbox entry');
      assert.equal(phone.inbox().length, 0);
      tv.ackHandoff(tv.inbox()[0]!.id);
      await tv.flushed();
      assert.equal(tv.inbox().length, 0);
      await phone.close();
      await tv.close();
    });
  });
}
