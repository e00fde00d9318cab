import { createECDH } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadSampleIfEmpty } from '@media-gateway/catalog';
import { testBackends } from '@media-gateway/testkit';
import { agentToken, type AuthTestApp, createAuthTestApp, newUser, webTokens } from './auth-helpers.ts';

/** A real browser subscription key: a point on P-256. */
const BROWSER_KEY = createECDH('prime256v1').generateKeys().toString('base64url');

/** A person's own account: where alerts go, calendar links, notifications, settings, the export. */
const OWN_APP_CALLS = [
  { method: 'GET', url: '/api/me/alerts' },
  { method: 'PUT', url: '/api/me/alerts', payload: { webhookUrl: 'https://attacker.example/hook' } },
  { method: 'POST', url: '/api/me/alerts/feed-token' },
  { method: 'DELETE', url: '/api/me/alerts/feed-token' },
  { method: 'GET', url: '/api/me/notifications' },
  { method: 'POST', url: '/api/me/notifications/read-all' },
  {
    method: 'POST',
    url: '/api/me/push-subscriptions',
    payload: { endpoint: 'https://push.example/abc', keys: { p256dh: BROWSER_KEY, auth: 'y'.repeat(22) } },
  },
  { method: 'DELETE', url: '/api/me/push-subscriptions', payload: { endpoint: 'https://push.example/abc' } },
  { method: 'PUT', url: '/api/me/settings', payload: { region: 'GB' } },
  { method: 'GET', url: '/api/me/export' },
] as const;

for (const backend of testBackends()) {
  describe(`a person's own account is for Media Gateway's own apps (${backend})`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend);
    });
    after(() => t.close());

    test("an agent's token gets 403 on each, and nothing changes; the web app's token is let through", async () => {
      const p = await newUser(t);
      const web = await webTokens(t, p.jar);
      const agent = await agentToken(t, p.user.id, ['catalog:read']);
      for (const call of OWN_APP_CALLS) {
        const res = await t.app.inject({ ...call, headers: { authorization: `Bearer ${agent}` } });
        assert.equal(res.statusCode, 403, `${call.method} ${call.url}: ${res.body}`);
        assert.equal(res.json().reason, 'third_party_client', call.url);
      }
      const settings = await t.app.inject({
        url: '/api/me/settings',
        headers: { authorization: `Bearer ${web.access_token}` },
      });
      assert.equal(settings.json().region, 'US', 'the region the agent tried to change is unchanged');
      const alerts = await t.app.inject({
        url: '/api/me/alerts',
        headers: { authorization: `Bearer ${web.access_token}` },
      });
      assert.equal(alerts.statusCode, 200);
      assert.equal(alerts.json().webhookUrl, null, 'the webhook the agent tried to set is not there');
      const feed = await t.app.inject({
        method: 'POST',
        url: '/api/me/alerts/feed-token',
        headers: { authorization: `Bearer ${web.access_token}` },
      });
      assert.equal(feed.statusCode, 201);
    });

    test('reading the region and services needs the "recommendations" scope, not "catalog:read"', async () => {
      const p = await newUser(t);
      const reader = await agentToken(t, p.user.id, ['catalog:read']);
      const recs = await agentToken(t, p.user.id, ['recommendations']);
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      assert.equal((await t.app.inject({ url: '/api/me/settings', headers: as(reader) })).statusCode, 403);
      const ok = await t.app.inject({ url: '/api/me/settings', headers: as(recs) });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.ok(Array.isArray(ok.json().services));
    });

    test('answers that personalise with the region and services do not echo them to a "catalog:read" agent', async () => {
      const p = await newUser(t);
      const web = await webTokens(t, p.jar);
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: as(web.access_token),
        payload: { region: 'GB', services: ['netflix', 'hulu'] },
      });
      assert.equal(put.statusCode, 200, put.body);
      const reader = await agentToken(t, p.user.id, ['catalog:read']);
      await loadSampleIfEmpty(t.ctx.db);
      const titleId = (await t.app.inject({ url: '/api/titles?limit=1' })).json().items[0]?.id;
      assert.ok(titleId, 'the test catalog has a title');
      const similar = await t.app.inject({ url: `/api/titles/${titleId}/similar?limit=1`, headers: as(reader) });
      assert.equal(similar.json().filteredTo, null, similar.body);
      const home = await t.app.inject({ url: '/api/home', headers: as(reader) });
      assert.notEqual(home.json().region, 'GB', 'the anonymous region');
      assert.ok(!(home.json().services ?? []).includes('hulu'), 'nor the services');
      const search = await t.app.inject({
        method: 'POST',
        url: '/api/search',
        headers: as(reader),
        payload: { query: 'comedies on my services' },
      });
      const understood = search.json().understood;
      assert.notEqual(understood.region, 'GB', 'not the region');
      assert.ok(!understood.services.includes('hulu'), 'nor the services');
      // Our own app, and an agent granted "recommendations", get the personal answer.
      for (const token of [web.access_token, await agentToken(t, p.user.id, ['recommendations'])]) {
        const mine = await t.app.inject({ url: `/api/titles/${titleId}/similar?limit=1`, headers: as(token) });
        assert.deepEqual(mine.json().filteredTo, { region: 'GB', services: ['netflix', 'hulu'] });
        assert.equal((await t.app.inject({ url: '/api/home', headers: as(token) })).json().region, 'GB');
      }
    });

    test('OpenAPI says which routes take a token and which are for our own apps; the ARW manifest leaves those out', async () => {
      const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
      assert.deepEqual(spec.paths['/api/me/alerts'].put.security, [{ oauth2: [] }]);
      assert.equal(spec.paths['/api/me/alerts'].put['x-own-apps-only'], true);
      assert.deepEqual(spec.paths['/api/me/settings'].get.security, [{ oauth2: ['recommendations'] }]);
      const manifest = (await t.app.inject({ url: '/.well-known/arw-manifest.json' })).body;
      assert.ok(!manifest.includes('/api/me/alerts'), 'no alert route in the manifest');
      assert.ok(manifest.includes('/api/me/settings'), 'reading settings is an action an agent can be granted');
    });
  });
}
