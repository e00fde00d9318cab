import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USER_CODE_ALPHABET } from '@media-gateway/auth';
import { testBackends } from '@media-gateway/testkit';
import {
  type AuthTestApp,
  createAuthTestApp,
  csrfIn,
  DEVICE_GRANT,
  decideDevice,
  FORM,
  form,
  newUser,
  startDevice,
  token,
  userinfo,
} from './auth-helpers.ts';

// RFC 8628 device authorization grant: EXTERNAL-APIS.md "Auth conformance checks" B1–B11.
for (const backend of testBackends()) {
  describe(`device flow (${backend})`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend);
    });
    after(() => t.close());

    const poll = (deviceCode: string, clientId = 'mg-cli', headers: Record<string, string> = {}) =>
      token(t.app, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId }, headers);

    test('[B1] device_authorization takes a form POST and returns the RFC 8628 fields; GET is rejected', async () => {
      const { res, body } = await startDevice(t.app, { client_id: 'mg-cli', scope: 'catalog:read watchlist:read' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /application\/json/);
      for (const k of [
        'device_code',
        'user_code',
        'verification_uri',
        'expires_in',
        'verification_uri_complete',
        'interval',
      ])
        assert.ok(k in body, k);
      assert.equal(body.verification_uri, 'http://localhost:3000/device');
      const get = await t.app.inject({ method: 'GET', url: '/oauth/device_authorization?client_id=mg-cli' });
      assert.equal(get.statusCode, 405);
      assert.equal(get.json().error, 'invalid_request');
      const unknown = await startDevice(t.app, { client_id: 'nobody' });
      assert.equal(unknown.res.statusCode, 401);
      assert.equal(unknown.body.device_code, undefined);
      const badScope = await startDevice(t.app, { client_id: 'mg-cli', scope: 'catalog:read everything' });
      assert.equal(badScope.res.statusCode, 400);
      assert.equal((badScope.body as unknown as { error: string }).error, 'invalid_scope');
    });

    test('[B2] interval is always returned and is 5 s', async () => {
      const { body } = await startDevice(t.app);
      assert.equal(body.interval, 5);
    });

    test('[B3] token endpoint accepts the device grant and authenticates confidential clients', async () => {
      const reg = await t.app.inject({
        method: 'POST',
        url: '/oauth/register',
        payload: {
          client_name: 'TV box',
          redirect_uris: ['https://tv.example/cb'],
          grant_types: [DEVICE_GRANT, 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      });
      assert.equal(reg.statusCode, 201);
      const { client_id: id, client_secret: secret } = reg.json() as { client_id: string; client_secret: string };
      const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${s}`).toString('base64')}` });
      const { body } = await startDevice(t.app, {}, basic(secret));
      assert.ok(body.device_code);
      const noSecret = await poll(body.device_code, id);
      assert.equal(noSecret.status, 401);
      assert.equal(noSecret.body.error, 'invalid_client');
      const wrong = await poll(body.device_code, '', basic('wrong-secret'));
      assert.equal(wrong.status, 401);
      const ok = await poll(body.device_code, '', basic(secret));
      assert.equal(ok.body.error, 'authorization_pending');
    });

    test('[B4] before approval the poll answers 400 authorization_pending', async () => {
      const { body } = await startDevice(t.app);
      const r = await poll(body.device_code);
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'authorization_pending');
      assert.ok(r.body.error_description);
    });

    test('[B5] slow_down: two polls 1 s apart → slow_down, and the interval grows by 5 s for later polls', async () => {
      const { body } = await startDevice(t.app);
      assert.equal((await poll(body.device_code)).body.error, 'authorization_pending');
      t.advance(1);
      const second = await poll(body.device_code);
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'slow_down');
      // Interval is now 10 s: 6 s later is still too soon, 10 s after that is fine.
      t.advance(6);
      assert.equal((await poll(body.device_code)).body.error, 'slow_down');
      t.advance(15);
      assert.equal((await poll(body.device_code)).body.error, 'authorization_pending');
    });

    test('[B6] denied → access_denied; after expires_in → expired_token and never tokens', async () => {
      const { jar } = await newUser(t);
      const denied = await startDevice(t.app);
      assert.equal((await decideDevice(t.app, jar, denied.body.user_code, 'deny')).statusCode, 200);
      const r = await poll(denied.body.device_code);
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'access_denied');

      const late = await startDevice(t.app);
      assert.equal(late.body.expires_in, 600);
      await decideDevice(t.app, jar, late.body.user_code, 'approve');
      t.advance(601);
      const expired = await poll(late.body.device_code);
      assert.equal(expired.body.error, 'expired_token');
      assert.equal(expired.body.access_token, undefined);
      t.advance(10);
      assert.equal((await poll(late.body.device_code)).body.error, 'expired_token');
    });

    test('[B7] device_code is single-use: a poll after issuance → invalid_grant', async () => {
      const { jar, user } = await newUser(t);
      const { body } = await startDevice(t.app, { client_id: 'mg-cli', scope: 'catalog:read watchlist:write' });
      await decideDevice(t.app, jar, body.user_code, 'approve');
      const ok = await poll(body.device_code);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.scope, 'catalog:read watchlist:write');
      const me = await userinfo(t.app, ok.body.access_token as string);
      assert.equal(me.json().id, user.id);
      t.advance(6);
      const again = await poll(body.device_code);
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_grant');
    });

    test(
      '[B8] device_code has ≥128 bits; user_code is 8 reduced-alphabet ' +
        'letters, case-insensitive, ignoring - and spaces',
      async () => {
        const { jar } = await newUser(t);
        const { body } = await startDevice(t.app);
        assert.match(body.device_code, /^[A-Za-z0-9_-]{43}$/); // 32 random bytes = 256 bits
        const letters = `[${USER_CODE_ALPHABET}]`;
        assert.match(body.user_code, new RegExp(`^${letters}{4}-${letters}{4}$`));
        const sloppy = ` ${body.user_code.toLowerCase().replace('-', ' - ')} `;
        const page = await t.app.inject({ method: 'GET', url: '/device', headers: { cookie: jar } });
        const entered = await t.app.inject({
          method: 'POST',
          url: '/device',
          headers: { ...FORM, cookie: jar },
          payload: form({ csrf: csrfIn(page.body), user_code: sloppy }),
        });
        assert.equal(entered.statusCode, 200);
        assert.match(entered.body, /Approve/);
        assert.match(entered.body, new RegExp(body.user_code));
      },
    );

    test(
      '[B10] the verification page names client and scopes and ' +
        'needs an explicit Approve; the complete URI does not approve',
      async () => {
        const { jar } = await newUser(t);
        const { body } = await startDevice(t.app, { client_id: 'mg-tv', scope: 'watchlist:read devices' });
        const visit = await t.app.inject({
          method: 'GET',
          url: new URL(body.verification_uri_complete).pathname + new URL(body.verification_uri_complete).search,
          headers: { cookie: jar },
        });
        assert.equal(visit.statusCode, 200);
        assert.match(visit.body, /Media Gateway TV/);
        assert.match(visit.body, /watchlist:read/);
        assert.match(visit.body, /devices/);
        assert.match(visit.body, /<button type="submit" name="decision" value="approve">Approve<\/button>/);
        assert.equal((await poll(body.device_code, 'mg-tv')).body.error, 'authorization_pending');
        // Without a session the page asks to sign in first.
        const anon = await t.app.inject({ method: 'GET', url: `/device?user_code=${body.user_code}` });
        assert.equal(anon.statusCode, 303);
        assert.match(anon.headers.location as string, /^\/auth\/login\?return_to=/);
        // A decision post without the session's CSRF token is refused.
        const forged = await t.app.inject({
          method: 'POST',
          url: '/device/decision',
          headers: { ...FORM, cookie: jar },
          payload: form({ user_code: body.user_code, decision: 'approve' }),
        });
        assert.equal(forged.statusCode, 403);
        t.advance(6);
        assert.equal((await poll(body.device_code, 'mg-tv')).body.error, 'authorization_pending');
      },
    );

    test('[B11] AS metadata lists the device endpoint and grant type', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
      const meta = res.json();
      assert.equal(meta.issuer, 'http://localhost:3000');
      assert.equal(meta.device_authorization_endpoint, 'http://localhost:3000/oauth/device_authorization');
      assert.ok(meta.grant_types_supported.includes(DEVICE_GRANT));
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.equal(jwks.keys[0].alg, 'EdDSA');
      assert.equal(jwks.keys[0].d, undefined, 'no private key material');
    });
  });

  describe(`user-code brute force (${backend})`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend, { MG_AUTH_RATE_LIMIT_USER_CODE: '5' });
    });
    after(() => t.close());

    test('[B9] user_code entry is rate-limited per session and per IP; codes expire in 600 s', async () => {
      const a = await newUser(t);
      const page = await t.app.inject({ method: 'GET', url: '/device', headers: { cookie: a.jar } });
      const csrf = csrfIn(page.body);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/device',
          headers: { ...FORM, cookie: a.jar },
          payload: form({ csrf, user_code: 'BBBB-BBBB' }),
        });
        statuses.push(r.statusCode);
      }
      assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
      // A fresh session from the same IP does not get a fresh budget.
      const b = await newUser(t);
      const { body } = await startDevice(t.app);
      const r = await t.app.inject({
        method: 'GET',
        url: `/device?user_code=${body.user_code}`,
        headers: { cookie: b.jar },
      });
      assert.equal(r.statusCode, 429);
      assert.ok(r.headers['retry-after']);
      assert.equal(body.expires_in, 600);
      // After the window the right code works again.
      t.advance(61);
      const ok = await t.app.inject({
        method: 'GET',
        url: `/device?user_code=${body.user_code}`,
        headers: { cookie: b.jar },
      });
      assert.equal(ok.statusCode, 200);
    });
  });
}
