import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AttemptLimiter } from '@media-gateway/auth';
import { manualClock } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { safeReturnTo } from '../src/auth/web-session.ts';
import { createTestApp } from './test-app.ts';
import type { InjectOptions } from 'fastify';
import {
  type AuthTestApp,
  authorize,
  cookies,
  createAuthTestApp,
  csrfIn,
  FORM,
  form,
  newUser,
  pkce,
} from './auth-helpers.ts';

/** The reproductions from the black-box probe (issue 14), each now a 4xx or refused, never a 5xx. */
for (const backend of testBackends()) {
  describe(`hardening: hostile inputs (${backend})`, () => {
    let t: AuthTestApp;
    let admin: Awaited<ReturnType<typeof newUser>>;
    let adminToken = '';
    before(async () => {
      t = await createAuthTestApp(backend);
      admin = await newUser(t, { admin: true });
      adminToken = await t.token(admin.user.id, ['admin', 'recommendations']);
    });
    after(async () => t.close());

    const expect4xx = (res: { statusCode: number; body: string }, what: string) => {
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    };

    test('no open redirect after sign-in: control characters refused; backslashes and // stay on site', async () => {
      // A tab or newline never reaches the sign-in page (the edge refuses control characters)…
      for (const evil of ['/\t/evil.example', '/\n/evil.example']) {
        const page = await t.app.inject({ url: `/auth/login?return_to=${encodeURIComponent(evil)}` });
        assert.equal(page.statusCode, 400, JSON.stringify(evil));
        assert.equal(page.json().code, 'INVALID_INPUT');
      }
      // …and what passes the edge resolves to our own origin.
      for (const evil of ['/\\evil.example', '//evil.example', '/%09/x', 'https://evil.example', '/\\/evil.example']) {
        const page = await t.app.inject({ url: `/auth/login?return_to=${encodeURIComponent(evil)}` });
        assert.equal(page.statusCode, 200);
        let jar = cookies(page);
        const res = await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { ...FORM, cookie: jar },
          payload: form({ email: admin.email, password: admin.password, csrf: csrfIn(page.body), return_to: evil }),
        });
        jar = cookies(res, jar);
        assert.equal(res.statusCode, 303, `${JSON.stringify(evil)}: ${res.body.slice(0, 200)}`);
        const location = String(res.headers.location);
        assert.ok(location.startsWith('/') && !location.startsWith('//'), `${JSON.stringify(evil)} → ${location}`);
        assert.doesNotMatch(location, /[\s\\]/);
        assert.equal(new URL(location, 'http://localhost:3000').origin, 'http://localhost:3000');
      }
      // The check itself, for paths that reach it by other ways (the OIDC start, the session guard).
      for (const evil of ['/\t/evil.example', '/\n/x', '/\u0000', '//evil', '/\\evil', 'http://evil'])
        assert.equal(safeReturnTo(evil), '/auth/account', JSON.stringify(evil));
      assert.equal(safeReturnTo('/watchlist?x=1#y'), '/watchlist?x=1#y');
    });

    test('NUL bytes and control characters are 400s everywhere the probe found a 500', async () => {
      const cursor = Buffer.from(JSON.stringify(['a\u0000', 'b'])).toString('base64url');
      const cases: Array<{ what: string; req: InjectOptions }> = [
        {
          what: 'register client_name',
          req: {
            method: 'POST',
            url: '/oauth/register',
            payload: { client_name: 'a\u0000', redirect_uris: ['https://x.example/cb'] },
          },
        },
        {
          what: 'token client_id',
          req: {
            method: 'POST',
            url: '/oauth/token',
            headers: FORM,
            payload: 'grant_type=authorization_code&client_id=%00&code=x',
          },
        },
        {
          what: 'revoke client_id',
          req: { method: 'POST', url: '/oauth/revoke', headers: FORM, payload: 'token=x&client_id=%00' },
        },
        {
          what: 'device_authorization client_id',
          req: { method: 'POST', url: '/oauth/device_authorization', headers: FORM, payload: 'client_id=%00' },
        },
        { what: 'authorize client_id', req: { url: '/oauth/authorize?client_id=%00&response_type=code' } },
        { what: 'titles cursor', req: { url: `/api/titles?cursor=${cursor}` } },
        {
          what: 'login email',
          req: {
            method: 'POST',
            url: '/auth/login',
            headers: FORM,
            payload: 'email=nul%00@example.com&password=x&csrf=x',
          },
        },
        {
          what: 'settings onboardingPicks',
          req: {
            method: 'PUT',
            url: '/api/me/settings',
            headers: { authorization: `Bearer ${adminToken}` },
            payload: { onboardingPicks: ['a\u0000'] },
          },
        },
        {
          what: 'admin user search',
          req: { url: '/api/admin/users?q=%00', headers: { authorization: `Bearer ${adminToken}` } },
        },
        {
          what: 'resolution override source',
          req: {
            method: 'POST',
            url: '/api/admin/resolution/override',
            headers: { authorization: `Bearer ${adminToken}` },
            payload: { source: 'a\u0000', sourceKey: 'k', action: 'split' },
          },
        },
        {
          what: 'repeated client_id on authorize',
          req: { url: '/oauth/authorize?client_id=mg-web&client_id=mg-web&response_type=code' },
        },
        {
          what: 'malformed Basic credentials',
          req: {
            method: 'POST',
            url: '/oauth/token',
            headers: { ...FORM, authorization: `Basic ${Buffer.from('%E4:s').toString('base64')}` },
            payload: 'grant_type=refresh_token&refresh_token=x',
          },
        },
        { what: 'search query with NUL', req: { method: 'POST', url: '/api/search', payload: { query: 'a\u0000b' } } },
      ];
      for (const c of cases) {
        const res = await t.app.inject(c.req);
        expect4xx(res, c.what);
      }
    });

    test('a newline in return_to on POST /auth/login is a 400 problem, not a header error after sign-in', async () => {
      const page = await t.app.inject({ url: '/auth/login' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { ...FORM, cookie: cookies(page) },
        payload: form({ email: admin.email, password: admin.password, csrf: csrfIn(page.body), return_to: '/x\ny' }),
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'INVALID_INPUT');
      assert.equal(res.cookies.length, 0, 'no session was started');
    });

    test('three concurrent account creations with one email: one 201, the others 409', async () => {
      const email = `race-${Date.now()}@example.test`;
      const create = () =>
        t.app.inject({
          method: 'POST',
          url: '/auth/users',
          headers: { authorization: `Bearer ${adminToken}` },
          payload: { email, password: 'correct horse battery' },
        });
      const statuses = (await Promise.all([create(), create(), create()])).map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [201, 409, 409]);
    });

    test('loopback redirects on any port only for native clients, on the path they registered', async () => {
      const { challenge } = pkce();
      const base = { response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 's' };
      // mg-web is a web client: only its exact redirect.
      const web = await authorize(t.app, admin.jar, {
        ...base,
        client_id: 'mg-web',
        redirect_uri: 'http://127.0.0.1:4444/app/callback',
      });
      assert.equal(web.res.statusCode, 400);
      // mg-cli is native: another port is fine, another path is not, and it must ask for consent.
      const cliOtherPath = await authorize(t.app, admin.jar, {
        ...base,
        client_id: 'mg-cli',
        redirect_uri: 'http://127.0.0.1:4444/steal',
      });
      assert.equal(cliOtherPath.res.statusCode, 400);
      const cli = await authorize(t.app, admin.jar, {
        ...base,
        client_id: 'mg-cli',
        redirect_uri: 'http://127.0.0.1:4444/callback',
        scope: 'admin',
      });
      assert.equal(cli.res.statusCode, 200, 'a consent page, not a code');
      assert.match(cli.res.body, /name="decision"/);
      assert.equal(cli.location, undefined);
    });

    test('pages carry nosniff, no-referrer, a CSP that forbids framing; the consent page too', async () => {
      const page = await t.app.inject({ url: '/auth/login' });
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      const { challenge } = pkce();
      const consent = await authorize(t.app, admin.jar, {
        response_type: 'code',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        client_id: 'mg-cli',
        redirect_uri: 'http://127.0.0.1:5555/callback',
      });
      assert.equal(consent.res.headers['x-frame-options'], 'DENY');
      assert.match(String(consent.res.headers['content-security-policy']), /frame-ancestors 'none'/);
      const api = await t.app.inject({ url: '/api/platforms' });
      assert.equal(api.headers['x-content-type-options'], 'nosniff');
      assert.equal(api.headers['strict-transport-security'], undefined, 'no HSTS on plain http');
    });
  });
}

describe('HSTS only when the public URL is https', () => {
  test('an https MG_PUBLIC_URL adds Strict-Transport-Security to every response', async () => {
    const t = await createTestApp({ env: { MG_PUBLIC_URL: 'https://mg.example' } });
    try {
      const res = await t.app.inject({ url: '/api/platforms' });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    } finally {
      await t.close();
    }
  });
});

describe('the sign-in rate limiter keeps bounded memory whatever is submitted', () => {
  test('300 attempts with 900 KB emails from one address: refused attempts store nothing new', () => {
    const limiter = new AttemptLimiter(manualClock(0), 10, 60);
    const big = 'x'.repeat(900_000);
    for (let i = 0; i < 300; i++) limiter.hitNow(['ip:203.0.113.9', `email:${i}${big}@example.com`]);
    // One IP entry plus the ten emails counted before the IP ran out of budget.
    assert.equal(limiter.size, 11);
  });

  test('distinct keys from many addresses are swept once their window ends', () => {
    const clock = manualClock(0);
    const limiter = new AttemptLimiter(clock, 10, 60);
    for (let i = 0; i < 5000; i++) limiter.hitNow([`ip:${i}`]);
    assert.equal(limiter.size, 5000);
    clock.advance(61_000);
    limiter.hitNow(['ip:after']);
    assert.equal(limiter.size, 1);
  });
});
