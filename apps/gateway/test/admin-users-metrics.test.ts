import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { bearer } from './admin-helpers.ts';
import { type AuthTestApp, createAuthTestApp, newUser, webTokens } from './auth-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

interface UserView {
  id: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  hasPassword: boolean;
  linkedIdentities: number;
  createdAt: string;
  lastSignInAt: string | null;
}

for (const backend of testBackends()) {
  describe(`GET /api/admin/users on ${backend}`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend);
    });
    after(async () => t.close());

    test('lists accounts with admin flag, linked identities, created and last sign-in; no secrets', async () => {
      // A real password sign-in and code + PKCE grant for the admin; a viewer who never signs in.
      const admin = await newUser(t, { admin: true });
      const tokens = await webTokens(t, admin.jar, 'admin catalog:read');
      const quiet = await t.auth.users.createLocalUser({
        email: 'quiet@example.test',
        password: 'never signs in 1',
        displayName: 'Quiet Person',
      });
      await t.auth.users.signInWithIdentity({
        provider: 'https://id.example.test',
        subject: 'sub-1',
        linkTo: quiet.id,
      });
      await t.auth.users.signInWithIdentity({
        provider: 'https://other.example.test',
        subject: 'sub-2',
        linkTo: quiet.id,
      });

      const res = await t.app.inject({ url: '/api/admin/users', headers: bearer(tokens.access_token) });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { total: number; users: UserView[] };
      assert.equal(body.total, 2);
      const a = body.users.find((u) => u.email === admin.email)!;
      const q = body.users.find((u) => u.email === 'quiet@example.test')!;
      assert.equal(a.isAdmin, true);
      assert.equal(a.hasPassword, true);
      assert.equal(a.linkedIdentities, 0);
      assert.ok(
        a.lastSignInAt && Date.now() - Date.parse(a.lastSignInAt) < 60_000,
        `recent sign-in: ${a.lastSignInAt}`,
      );
      assert.equal(q.isAdmin, false);
      assert.equal(q.displayName, 'Quiet Person');
      assert.equal(q.linkedIdentities, 2);
      assert.equal(q.lastSignInAt, null, 'linking an identity is not a sign-in');
      assert.ok(!/password_hash|\$argon|\$scrypt/.test(res.body), 'no password hashes in the answer');

      const filtered = await t.app.inject({ url: '/api/admin/users?q=quiet', headers: bearer(tokens.access_token) });
      assert.deepEqual(
        (filtered.json() as { users: UserView[] }).users.map((u) => u.email),
        ['quiet@example.test'],
      );
      const paged = await t.app.inject({
        url: '/api/admin/users?limit=1&offset=5',
        headers: bearer(tokens.access_token),
      });
      assert.deepEqual(paged.json(), { total: 2, users: [] });
    });

    test('401 without a token, 403 without the admin scope, 400 for unknown parameters', async () => {
      assert.equal((await t.app.inject({ url: '/api/admin/users' })).statusCode, 401);
      const viewer = await t.token('viewer-1', ['catalog:read']);
      assert.equal((await t.app.inject({ url: '/api/admin/users', headers: bearer(viewer) })).statusCode, 403);
      const admin = await t.token('admin-1', ['admin']);
      const bad = await t.app.inject({ url: '/api/admin/users?limit=0&sort=email', headers: bearer(admin) });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'INVALID_INPUT');
    });
  });

  describe(`/metrics and GET /api/admin/metrics on ${backend}`, () => {
    let t: TestApp;
    let admin: string;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      admin = await t.token('admin-1', ['admin']);
    });
    after(async () => t.close());

    test('Prometheus text: requests by route pattern and status, latency histogram, catalog gauges', async () => {
      const list = await t.app.inject({ url: '/api/titles?limit=1' });
      const id = (list.json() as { items: Array<{ id: string }> }).items[0]!.id;
      await t.app.inject({ url: `/api/titles/${id}` });
      await t.app.inject({ url: '/api/titles/mg_aaaaaaaaaaaa' });
      // GETs of unknown paths are the web app's (SPA fallback); other methods reach the 404 handler.
      await t.app.inject({ method: 'DELETE', url: '/no/such/route' });
      const res = await t.app.inject({ url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const text = res.body;
      assert.match(text, /mg_http_requests_total\{method="GET",route="\/api\/titles\/:id",status="200"\} 1\n/);
      assert.match(text, /mg_http_requests_total\{method="GET",route="\/api\/titles\/:id",status="404"\} 1\n/);
      assert.match(text, /mg_http_requests_total\{method="DELETE",route="unmatched",status="404"\} 1\n/);
      assert.ok(!text.includes(id), 'raw URLs never become labels');
      assert.match(
        text,
        /mg_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/titles",status="200"\} \d/,
      );
      const titles = (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles')).rows[0]!.n;
      assert.match(text, new RegExp(`\\nmg_catalog_titles ${titles}\\n`));
      const netflix = (
        await t.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM offers WHERE platform = 'netflix'")
      ).rows[0]!.n;
      assert.ok(netflix > 0);
      assert.match(text, new RegExp(`mg_catalog_offers\\{platform="netflix"\\} ${netflix}\\n`));
    });

    test('dashboard summary: catalog, offers by platform, users, devices seen lately, request rate, p95', async () => {
      assert.equal((await t.app.inject({ url: '/api/admin/metrics' })).statusCode, 401);
      assert.equal(
        (await t.app.inject({ url: '/api/admin/metrics', headers: bearer(await t.token('v', ['catalog:read'])) }))
          .statusCode,
        403,
      );
      // A device joins the real sync hub, which records when it was last seen.
      const hub = await t.ctx.services.sync();
      const room = await hub.room('user-1');
      hub.join('user-1', { deviceId: 'tv-livingroom', deliver: () => {} }, room);
      let body: {
        catalog: { titles: number; offers: number; offersByPlatform: Array<{ platform: string; offers: number }> };
        users: { total: number };
        devices: { seenRecently: number };
        requests: { count: number; p95Ms: number | null; ratePerSecond: number };
      };
      for (let i = 0; ; i++) {
        const res = await t.app.inject({ url: '/api/admin/metrics', headers: bearer(admin) });
        assert.equal(res.statusCode, 200, res.body);
        body = res.json();
        if (body.devices.seenRecently === 1 || i > 50) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(body.devices.seenRecently, 1);
      const titles = (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles')).rows[0]!.n;
      assert.equal(body.catalog.titles, titles);
      assert.equal(
        body.catalog.offers,
        body.catalog.offersByPlatform.reduce((n, p) => n + p.offers, 0),
      );
      assert.ok(body.catalog.offersByPlatform.some((p) => p.platform === 'netflix'));
      assert.equal(body.users.total, 0);
      assert.ok(body.requests.count >= 3, `requests seen: ${body.requests.count}`);
      assert.ok(body.requests.p95Ms !== null && body.requests.p95Ms >= 0);
      assert.ok(body.requests.ratePerSecond > 0);
    });
  });
}
