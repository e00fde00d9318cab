import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { postgresUrl } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * A TCP relay in front of the real PostgreSQL server that the test can cut and restore, so the
 * gateway sees what a server restart or a network cut does to it: connections reset, new ones refused.
 */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const pg = postgresUrl();

/**
 * Issue 17: the database going away is a 503 with Retry-After
 * (never a 500), and the gateway serves again once it is back.
 */
describe('PostgreSQL out of reach', { skip: pg.skip }, () => {
  let gw: TestApp;
  let cable: Awaited<ReturnType<typeof relay>>;
  let token: string;
  const previousUrl = process.env['DATABASE_URL'];

  before(async () => {
    const url = new URL(pg.url!);
    cable = await relay({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(cable.port);
    // The test app's fresh PostgreSQL schema is opened through the relay.
    process.env['DATABASE_URL'] = url.toString();
    gw = await createTestApp({ backend: 'postgres', sample: true });
    process.env['DATABASE_URL'] = previousUrl;
    token = await gw.token('outage-user', ['recommendations', 'watchlist:read', 'watchlist:write']);
  });
  after(async () => {
    cable?.restore();
    await gw?.close();
    await cable?.close();
  });

  test('while it is cut: 503 UNAVAILABLE with Retry-After, readiness fails; once back: served again', async () => {
    const { rows } = await gw.ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY id LIMIT 1');
    const titleId = rows[0]!.id;
    const feedback = (id: string) =>
      gw.app.inject({
        method: 'POST',
        url: '/api/events',
        headers: { authorization: `Bearer ${token}` },
        payload: { id, type: 'like', titleId },
      });
    assert.ok((await feedback('before')).statusCode < 300);
    // Ready, and the title count is now remembered: the next probe must still ask the database.
    assert.equal((await gw.app.inject({ url: '/readyz' })).statusCode, 200);

    cable.cut();
    for (const [name, res] of [
      ['feedback', await feedback('during')],
      ['watchlist', await gw.app.inject({ url: '/api/watchlist', headers: { authorization: `Bearer ${token}` } })],
      ['title', await gw.app.inject({ url: `/api/titles/${encodeURIComponent(titleId)}` })],
    ] as const) {
      assert.equal(res.statusCode, 503, `${name}: ${res.body}`);
      assert.equal(res.headers['retry-after'], '2', name);
      assert.equal(res.json().code, 'UNAVAILABLE', name);
    }
    assert.equal((await gw.app.inject({ url: '/readyz' })).statusCode, 503);

    cable.restore();
    let after: number | undefined;
    for (let i = 0; i < 50 && (after === undefined || after >= 300); i++) {
      after = (await feedback(`after-${i}`)).statusCode;
      if (after >= 300) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(after! < 300, `served again after the database came back (last status ${after})`);
    assert.equal((await gw.app.inject({ url: '/readyz' })).statusCode, 200);
  });
});
