import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import {
  type AuthTestApp,
  cookies,
  createAuthTestApp,
  csrfIn,
  FORM,
  form,
  newUser,
  refresh,
  signIn,
  userinfo,
  webTokens,
} from './auth-helpers.ts';

/** Issue 3: people change their password and delete their account through the API (bearer or cookie + CSRF). */
for (const backend of testBackends()) {
  describe(`account endpoints (${backend})`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend, {
        MG_ADMIN_EMAIL: 'root@example.test',
        MG_ADMIN_PASSWORD: 'first admin password',
      });
    });
    after(() => t.close());

    const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, headers, payload });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const accountStatus = async (jar: string) =>
      (await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: jar } })).statusCode;

    test('password change by bearer token re-checks the password and revokes every family and session', async () => {
      const p = await newUser(t);
      const otherBrowser = await signIn(t.app, p.email, p.password);
      const web = await webTokens(t, p.jar);
      const cli = await webTokens(t, otherBrowser);

      const missing = await post(
        '/auth/password',
        { new_password: 'a brand new passphrase' },
        bearer(web.access_token),
      );
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().code, 'INVALID_INPUT');
      const wrong = await post(
        '/auth/password',
        { current_password: 'not my password', new_password: 'a brand new passphrase' },
        bearer(web.access_token),
      );
      assert.equal(wrong.statusCode, 403);
      assert.equal(wrong.json().reason, 'wrong_password');
      const short = await post(
        '/auth/password',
        { current_password: p.password, new_password: 'short' },
        bearer(web.access_token),
      );
      assert.equal(short.statusCode, 400);
      const unknown = await post(
        '/auth/password',
        { current_password: p.password, new_password: 'a brand new passphrase', user_id: 'usr_x' },
        bearer(web.access_token),
      );
      assert.equal(unknown.statusCode, 400, 'unknown fields are refused');

      const ok = await post(
        '/auth/password',
        { current_password: p.password, new_password: 'a brand new passphrase' },
        bearer(web.access_token),
      );
      assert.equal(ok.statusCode, 204, ok.body);
      assert.equal((await userinfo(t.app, web.access_token)).statusCode, 401, 'the calling token is revoked too');
      assert.equal((await userinfo(t.app, cli.access_token)).statusCode, 401);
      assert.equal((await refresh(t, cli.refresh_token)).body['error'], 'invalid_grant');
      assert.equal(await accountStatus(p.jar), 303, 'web sessions ended');
      assert.equal(await accountStatus(otherBrowser), 303);
      await assert.rejects(signIn(t.app, p.email, p.password), /401/);
      assert.ok(await signIn(t.app, p.email, 'a brand new passphrase'));
      const events = (
        await t.ctx.db.query<{ event: string }>('SELECT event FROM audit_log WHERE user_id = $1', [p.user.id])
      ).rows.map((r) => r.event);
      assert.ok(events.includes('user.password_changed'));
    });

    test('the account page form changes the password with CSRF and keeps this browser signed in', async () => {
      const p = await newUser(t);
      const elsewhere = await signIn(t.app, p.email, p.password);
      const page = await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: p.jar } });
      assert.match(page.body, /action="\/auth\/password"/);
      const forged = await t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: { ...FORM, cookie: p.jar },
        payload: form({ current_password: p.password, new_password: 'forged new passphrase' }),
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().reason, 'csrf');
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: { ...FORM, cookie: p.jar },
        payload: form({
          csrf: csrfIn(page.body),
          current_password: p.password,
          new_password: 'form-changed passphrase',
        }),
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(await accountStatus(cookies(res, p.jar)), 200);
      assert.equal(await accountStatus(p.jar), 303, 'the old session id is dead');
      assert.equal(await accountStatus(elsewhere), 303);
      // JSON with the CSRF header works for cookie sessions too.
      const jar = cookies(res, p.jar);
      const again = await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: jar } });
      const viaHeader = await post(
        '/auth/password',
        { current_password: 'form-changed passphrase', new_password: 'header-changed passphrase' },
        { cookie: jar, 'x-csrf-token': csrfIn(again.body) },
      );
      assert.equal(viaHeader.statusCode, 204);
    });

    test('no credentials → 401; tokens of third-party (registered) clients → 403', async () => {
      const none = await post('/auth/password', { current_password: 'x', new_password: 'a brand new passphrase' });
      assert.equal(none.statusCode, 401);
      assert.ok(none.headers['www-authenticate']);
      assert.equal((await post('/auth/account/delete', { password: 'x' }, bearer('not-a-jwt'))).statusCode, 401);
      const p = await newUser(t);
      const reg = await post('/oauth/register', {
        client_name: 'Some agent',
        redirect_uris: ['https://agent.example/cb'],
      });
      assert.equal(reg.statusCode, 201);
      const agentToken = (
        await t.ctx.tokens.issueAccessToken({
          userId: p.user.id,
          clientId: reg.json().client_id,
          scopes: ['catalog:read', 'watchlist:write'],
        })
      ).token;
      const res = await post('/auth/account/delete', { password: p.password }, bearer(agentToken));
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().reason, 'third_party_client');
      assert.ok(await t.auth.users.get(p.user.id), 'still there');
    });

    test('account deletion with a bearer token needs the password, then ends everything', async () => {
      const p = await newUser(t);
      const web = await webTokens(t, p.jar);
      assert.equal((await post('/auth/account/delete', {}, bearer(web.access_token))).statusCode, 400);
      const wrong = await post('/auth/account/delete', { password: 'wrong password!' }, bearer(web.access_token));
      assert.equal(wrong.statusCode, 403);
      const ok = await post('/auth/account/delete', { password: p.password }, bearer(web.access_token));
      assert.equal(ok.statusCode, 204, ok.body);
      assert.equal((await userinfo(t.app, web.access_token)).statusCode, 401);
      assert.equal((await refresh(t, web.refresh_token)).body['error'], 'invalid_grant');
      assert.equal(await accountStatus(p.jar), 303);
      await assert.rejects(signIn(t.app, p.email, p.password), /401/);
      // Erased, not just marked: no row of the account is left (privacy.test.ts checks every table).
      const rows = (await t.ctx.db.query('SELECT 1 FROM users WHERE id = $1', [p.user.id])).rows;
      assert.equal(rows.length, 0);
    });

    test('an account without a password deletes itself on the account page by typing the confirmation', async () => {
      const { user } = await t.auth.users.signInWithIdentity({
        provider: 'https://idp.example',
        subject: 'dana',
        name: 'Dana',
      });
      const { id } = await t.auth.sessions.create(user.id);
      const jar = `mg_session=${id}`;
      const page = await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: jar } });
      assert.match(page.body, /delete my account/);
      const csrf = csrfIn(page.body);
      const unconfirmed = await t.app.inject({
        method: 'POST',
        url: '/auth/account/delete',
        headers: { ...FORM, cookie: jar },
        payload: form({ csrf, confirm: 'yes' }),
      });
      assert.equal(unconfirmed.statusCode, 400);
      const res = await t.app.inject({
        method: 'POST',
        url: '/auth/account/delete',
        headers: { ...FORM, cookie: jar },
        payload: form({ csrf, confirm: 'delete my account' }),
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/auth/login');
      assert.equal(await t.auth.users.get(user.id), undefined);
      const identities = await t.ctx.db.query('SELECT 1 FROM user_identities WHERE user_id = $1', [user.id]);
      assert.equal(identities.rows.length, 0);
    });

    test('the only administrator cannot delete their account (409)', async () => {
      const jar = await signIn(t.app, 'root@example.test', 'first admin password');
      const admin = await webTokens(t, jar);
      const res = await post('/auth/account/delete', { password: 'first admin password' }, bearer(admin.access_token));
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().reason, 'last_admin');
    });
  });
}
