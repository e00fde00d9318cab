import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type OidcUpstream, startOidcUpstream, testBackends } from '@media-gateway/testkit';
import {
  type AuthTestApp,
  cookies,
  createAuthTestApp,
  csrfIn,
  FORM,
  form,
  newUser,
  signIn,
  userinfo,
  webTokens,
} from './auth-helpers.ts';

const CALLBACK = 'http://localhost:3000/auth/oidc/callback';

for (const backend of testBackends()) {
  describe(`sign-in (${backend})`, () => {
    let upstream: OidcUpstream;
    let t: AuthTestApp;
    before(async () => {
      upstream = await startOidcUpstream({ redirectUris: [CALLBACK] });
      t = await createAuthTestApp(backend, {
        MG_OIDC_ISSUER: upstream.issuer,
        MG_OIDC_CLIENT_ID: upstream.clientId,
        MG_OIDC_CLIENT_SECRET: upstream.clientSecret,
        MG_ADMIN_EMAIL: 'admin@example.test',
        MG_ADMIN_PASSWORD: 'first admin password',
      });
    });
    after(async () => {
      await t.close();
      await upstream.close();
    });

    /** Browser: start at our /auth/oidc/start, sign in at the upstream, come back to our callback. */
    async function oidcSignIn(jar = '', query = 'return_to=/auth/account') {
      const start = await t.app.inject({ method: 'GET', url: `/auth/oidc/start?${query}`, headers: { cookie: jar } });
      assert.equal(start.statusCode, 303, start.body);
      const authUrl = new URL(start.headers.location as string);
      assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authUrl.searchParams.get('nonce') && authUrl.searchParams.get('state'));
      const back = await upstream.browse(authUrl.href);
      assert.equal(back.origin + back.pathname, CALLBACK);
      const res = await t.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: jar } });
      return { res, jar: cookies(res, jar), back };
    }

    test('upstream OIDC: discovery, code + PKCE + nonce + state; creates a user and a session', async () => {
      upstream.signInAs({ sub: 'alice-upstream', email: 'alice@upstream.test', name: 'Alice' });
      const { res, jar, back } = await oidcSignIn();
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/auth/account');
      const tokens = await webTokens(t, jar);
      const me = (await userinfo(t.app, tokens.access_token)).json();
      assert.equal(me.displayName, 'Alice');
      assert.deepEqual(me.identities, [upstream.issuer]);
      // The same callback (state) cannot be replayed.
      const replay = await t.app.inject({ method: 'GET', url: back.pathname + back.search });
      assert.equal(replay.statusCode, 400);
      // Signing in again finds the same person.
      const again = await oidcSignIn();
      assert.equal((await userinfo(t.app, (await webTokens(t, again.jar)).access_token)).json().id, me.id);
    });

    test('a signed-in person links an upstream identity to their local account', async () => {
      const local = await newUser(t);
      upstream.signInAs({ sub: 'bob-upstream', email: 'bob@upstream.test', name: 'Bob' });
      const { res } = await oidcSignIn(local.jar, 'link=1&return_to=/auth/account');
      assert.equal(res.statusCode, 303);
      const linked = await t.auth.users.get(local.user.id);
      assert.deepEqual(
        linked!.identities.map((i) => i.subject),
        ['bob-upstream'],
      );
      const viaUpstream = await oidcSignIn();
      assert.equal(
        (await userinfo(t.app, (await webTokens(t, viaUpstream.jar)).access_token)).json().id,
        local.user.id,
      );
    });

    test('local accounts: argon2id, wrong password → 401 page, login CSRF, audit log, admin bootstrap', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/auth/login' });
      const jar = cookies(page);
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { ...FORM, cookie: jar },
        payload: form({ email: 'admin@example.test', password: 'nope', csrf: csrfIn(page.body) }),
      });
      assert.equal(wrong.statusCode, 401);
      assert.match(wrong.body, /Wrong email or password/);
      const forged = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: FORM,
        payload: form({ email: 'admin@example.test', password: 'first admin password', csrf: 'x'.repeat(32) }),
      });
      assert.equal(forged.statusCode, 403);
      const adminJar = await signIn(t.app, 'admin@example.test', 'first admin password');
      const session = (
        await t.app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { ...FORM, cookie: jar },
          payload: form({ email: 'admin@example.test', password: 'first admin password', csrf: csrfIn(page.body) }),
        })
      ).cookies.find((c) => c.name === 'mg_session')!;
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      const hash = (
        await t.ctx.db.query<{ password_hash: string }>(
          `SELECT password_hash FROM users WHERE email = 'admin@example.test'`,
        )
      ).rows[0]!.password_hash;
      assert.match(hash, /^\$argon2id\$/);
      const events = (await t.ctx.db.query<{ event: string }>(`SELECT DISTINCT event FROM audit_log`)).rows.map(
        (r) => r.event,
      );
      for (const e of ['signin.password', 'signin.password_failed', 'signin.oidc', 'token.issued'])
        assert.ok(events.includes(e), e);

      // Admin scope only for administrators; /auth/users needs it (403 without, 401 with no token).
      const admin = await webTokens(t, adminJar, 'catalog:read admin');
      assert.equal(admin.scope, 'catalog:read admin');
      const plain = await webTokens(t, (await newUser(t)).jar, 'catalog:read admin');
      assert.equal(plain.scope, 'catalog:read', 'admin scope dropped for non-admins');
      const body = { email: 'carol@example.test', password: 'carol password 1' };
      assert.equal((await t.app.inject({ method: 'POST', url: '/auth/users', payload: body })).statusCode, 401);
      const forbidden = await t.app.inject({
        method: 'POST',
        url: '/auth/users',
        headers: { authorization: `Bearer ${plain.access_token}` },
        payload: body,
      });
      assert.equal(forbidden.statusCode, 403);
      assert.match(forbidden.headers['www-authenticate'] as string, /insufficient_scope/);
      const created = await t.app.inject({
        method: 'POST',
        url: '/auth/users',
        headers: { authorization: `Bearer ${admin.access_token}` },
        payload: body,
      });
      assert.equal(created.statusCode, 201);
      const dup = await t.app.inject({
        method: 'POST',
        url: '/auth/users',
        headers: { authorization: `Bearer ${admin.access_token}` },
        payload: body,
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().code, 'CONFLICT');
      assert.ok(await signIn(t.app, 'carol@example.test', 'carol password 1'));
    });

    test('sign-in attempts are rate-limited per IP and email', async () => {
      const limited = await createAuthTestApp(backend, { MG_AUTH_RATE_LIMIT_LOGIN: '3' });
      try {
        const page = await limited.app.inject({ method: 'GET', url: '/auth/login' });
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const r = await limited.app.inject({
            method: 'POST',
            url: '/auth/login',
            headers: { ...FORM, cookie: cookies(page) },
            payload: form({ email: 'x@example.test', password: 'wrong', csrf: csrfIn(page.body) }),
          });
          statuses.push(r.statusCode);
        }
        assert.deepEqual(statuses, [401, 401, 401, 429]);
      } finally {
        await limited.close();
      }
    });
  });
}
