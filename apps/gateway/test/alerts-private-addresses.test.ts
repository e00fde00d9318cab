import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { pushSender } from '../src/alerts/channels/push-sender.ts';
import { webhookSender } from '../src/alerts/channels/webhook-sender.ts';
import { vapidKeys } from '../src/alerts/vapid-keys.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const KEYS = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };

for (const backend of testBackends()) {
  describe(`alerts never reach this machine or its network unless the operator allows it (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ backend }); // MG_ALERTS_WEBHOOK_PRIVATE is off by default
    });
    after(() => t.close());

    test('a webhook URL or push endpoint on a loopback or private address is refused with 400 when typed', async () => {
      const h = { authorization: `Bearer ${await t.token('typist', ['watchlist:read'])}` };
      const hosts = [
        '127.0.0.1:9000',
        '169.254.169.254',
        '0x7f000001',
        '[::1]',
        'localhost:8080',
        '10.1.2.3',
        '[::ffff:127.0.0.1]',
        '[64:ff9b::a9fe:a9fe]',
      ];
      for (const host of hosts) {
        const hook = await t.app.inject({
          method: 'PUT',
          url: '/api/me/alerts',
          headers: h,
          payload: { webhookUrl: `https://${host}/hook`, channels: ['webhook'] },
        });
        assert.equal(hook.statusCode, 400, `${host}: ${hook.body}`);
        assert.match(hook.json().detail, /private address/);
        const push = await t.app.inject({
          method: 'POST',
          url: '/api/me/push-subscriptions',
          headers: h,
          payload: { endpoint: `https://${host}/push/abc`, keys: KEYS },
        });
        assert.equal(push.statusCode, 400, `${host}: ${push.body}`);
      }
      const now = await t.app.inject({ url: '/api/me/alerts', headers: h });
      assert.equal(now.json().webhookUrl, null, 'nothing was stored');
      const ok = await t.app.inject({
        method: 'PUT',
        url: '/api/me/alerts',
        headers: h,
        payload: { webhookUrl: 'https://203.0.113.7/hook', channels: ['webhook'] },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a push endpoint stored on a loopback address (before this check) is not connected to at delivery', async () => {
      let connections = 0;
      const server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as { port: number }).port;
      try {
        await t.ctx.db.query(
          'INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4)',
          ['old-sub', `https://127.0.0.1:${port}/push/abc`, KEYS.p256dh, KEYS.auth],
        );
        const config = t.ctx.config;
        const send = pushSender({
          db: t.ctx.db,
          keys: () => vapidKeys(t.ctx.db, config.alerts, config.publicUrl),
          allowPrivate: false,
        });
        const alert = { key: 'k1', kind: 'available', titleId: 'mg_aaaaaaaaaaaa', title: 'X' } as never;
        const result = await send.send('old-sub', {} as never, [alert], new AbortController().signal);
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.error, /private address/);
        assert.equal(connections, 0, 'the gateway never opened a connection to it');
      } finally {
        server.close();
      }
    });

    test('a name that resolves to a private address at delivery is refused in the lookup the connection uses', async () => {
      let requests = 0;
      const server = createHttpServer((_req, res) => {
        requests++;
        res.end();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as { port: number }).port;
      // DNS rebinding: a name that looked public when typed, and answers 127.0.0.1 when the alert is sent.
      let lookups = 0;
      const resolve = async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const prefs = { webhookUrl: `http://hooks.example.org:${port}/hook`, webhookSecret: 's3cret' } as never;
      const alert = { key: 'k1', kind: 'available', titleId: 'mg_aaaaaaaaaaaa', title: 'X' } as never;
      try {
        const guarded = webhookSender({ clock: t.ctx.clock, allowPrivate: false, resolve });
        const refused = await guarded.send('u1', prefs, [alert], new AbortController().signal);
        assert.deepEqual(refused, { ok: false, retry: false, error: 'the webhook URL points to a private address' });
        assert.equal(lookups, 1);
        assert.equal(requests, 0, 'nothing reached the loopback server');
        // The same lookup is the one the connection uses: allowed, the request arrives at the address it returned.
        const allowed = webhookSender({ clock: t.ctx.clock, allowPrivate: true, resolve });
        assert.deepEqual(await allowed.send('u1', prefs, [alert], new AbortController().signal), { ok: true });
        assert.equal(requests, 1);
      } finally {
        server.close();
      }
    });
  });
}
