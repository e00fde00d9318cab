import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GrantEvent } from '@media-gateway/auth';
import { testBackends } from '@media-gateway/testkit';
import {
  type AuthTestApp,
  createAuthTestApp,
  csrfIn,
  FORM,
  form,
  newUser,
  refresh,
  userinfo,
  webTokens,
} from './auth-helpers.ts';

// Refresh-token rotation with reuse detection (RFC 6749 §6, RFC 9700 §4.14): checks B21–B28.
for (const backend of testBackends()) {
  describe(`refresh tokens (${backend})`, () => {
    let t: AuthTestApp;
    let jar: string;
    let userId: string;
    before(async () => {
      t = await createAuthTestApp(backend);
      const u = await newUser(t);
      jar = u.jar;
      userId = u.user.id;
    });
    after(() => t.close());

    test('[B21] each refresh returns a new refresh token and the presented one stops working', async () => {
      const first = await webTokens(t, jar);
      const r1 = await refresh(t, first.refresh_token);
      assert.equal(r1.status, 200);
      assert.notEqual(r1.body.refresh_token, first.refresh_token);
      assert.equal((await userinfo(t.app, r1.body.access_token as string)).statusCode, 200);
      t.advance(11);
      assert.equal((await refresh(t, first.refresh_token)).body.error, 'invalid_grant');
    });

    test('[B22] presenting a rotated token revokes the whole family; the newest token fails too', async () => {
      const first = await webTokens(t, jar);
      const r1 = await refresh(t, first.refresh_token);
      const r2 = await refresh(t, r1.body.refresh_token as string);
      assert.equal(r2.status, 200);
      t.advance(11);
      const reuse = await refresh(t, r1.body.refresh_token as string);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, 'invalid_grant');
      assert.equal((await refresh(t, r2.body.refresh_token as string)).body.error, 'invalid_grant');
      assert.equal(
        (await userinfo(t.app, r2.body.access_token as string)).statusCode,
        401,
        'access tokens of the family are refused too',
      );
      const audit = await t.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE event = 'token.refresh_reuse' AND user_id = $1`,
        [userId],
      );
      assert.ok(audit.rows[0]!.n >= 1);
    });

    test('[B23] a retry within the 10 s grace gets the same successor; outside it the family is revoked', async () => {
      const first = await webTokens(t, jar);
      const a = await refresh(t, first.refresh_token);
      t.advance(5);
      const b = await refresh(t, first.refresh_token);
      assert.equal(b.status, 200);
      assert.equal(b.body.refresh_token, a.body.refresh_token, 'same successor, not a second branch');
      const next = await refresh(t, b.body.refresh_token as string);
      assert.equal(next.status, 200);

      const other = await webTokens(t, jar);
      const c = await refresh(t, other.refresh_token);
      t.advance(11);
      assert.equal((await refresh(t, other.refresh_token)).body.error, 'invalid_grant');
      assert.equal((await refresh(t, c.body.refresh_token as string)).body.error, 'invalid_grant');
    });

    test('[B24] a refresh token used by another client → invalid_grant, and the victim keeps its family', async () => {
      const first = await webTokens(t, jar);
      const stolen = await refresh(t, first.refresh_token, 'mg-cli');
      assert.equal(stolen.body.error, 'invalid_grant');
      const mine = await refresh(t, first.refresh_token);
      assert.equal(mine.status, 200);
    });

    test('[B25] scope on refresh must be within the original grant', async () => {
      const first = await webTokens(t, jar, 'catalog:read watchlist:read');
      const broader = await refresh(t, first.refresh_token, 'mg-web', 'catalog:read watchlist:write');
      assert.equal(broader.status, 400);
      assert.equal(broader.body.error, 'invalid_scope');
      const narrower = await refresh(t, first.refresh_token, 'mg-web', 'catalog:read');
      assert.equal(narrower.status, 200);
      assert.equal(narrower.body.scope, 'catalog:read');
      // The successor keeps the original grant: it can still ask for both scopes.
      assert.equal(
        (await refresh(t, narrower.body.refresh_token as string, 'mg-web', 'catalog:read watchlist:read')).status,
        200,
      );
    });

    test('[B26] idle and absolute lifetimes; sign out everywhere and password change revoke every family', async () => {
      const idle = await webTokens(t, jar);
      t.advance(14 * 86400 + 1);
      assert.equal((await refresh(t, idle.refresh_token)).body.error, 'invalid_grant');

      // Sessions last 7 days, so each step signs in afresh after the clock jumps.
      let current = (await webTokens(t, (await newUser(t)).jar)).refresh_token;
      for (let day = 0; day < 3; day++) {
        t.advance(12 * 86400); // active every 12 days: never idle, but past 30 days in total
        const r = await refresh(t, current);
        if (day < 2) {
          assert.equal(r.status, 200, `day ${day}`);
          current = r.body.refresh_token as string;
        } else assert.equal(r.body.error, 'invalid_grant');
      }

      const u = await newUser(t);
      const web = await webTokens(t, u.jar);
      const page = await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: u.jar } });
      const out = await t.app.inject({
        method: 'POST',
        url: '/auth/logout-everywhere',
        headers: { ...FORM, cookie: u.jar },
        payload: form({ csrf: csrfIn(page.body) }),
      });
      assert.equal(out.statusCode, 303);
      assert.equal((await refresh(t, web.refresh_token)).body.error, 'invalid_grant');
      assert.equal((await userinfo(t.app, web.access_token)).statusCode, 401);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: u.jar } })).statusCode,
        303,
        'the session ended too',
      );

      const v = await newUser(t);
      const before = await webTokens(t, v.jar);
      await t.auth.users.changePassword(v.user.id, v.password, 'a brand new passphrase');
      assert.equal((await refresh(t, before.refresh_token)).body.error, 'invalid_grant');
      assert.equal((await userinfo(t.app, before.access_token)).statusCode, 401);
    });

    test('[B27] /oauth/revoke answers 200 for unknown tokens; revoking a refresh token ends its family', async () => {
      const revoke = (tok: string) =>
        t.app.inject({
          method: 'POST',
          url: '/oauth/revoke',
          headers: FORM,
          payload: form({ token: tok, client_id: 'mg-web' }),
        });
      assert.equal((await revoke('mgr_unknown')).statusCode, 200);
      assert.equal((await revoke('garbage')).statusCode, 200);
      const first = await webTokens(t, (await newUser(t)).jar);
      const r1 = await refresh(t, first.refresh_token);
      assert.equal((await revoke(r1.body.refresh_token as string)).statusCode, 200);
      assert.equal((await refresh(t, r1.body.refresh_token as string)).body.error, 'invalid_grant');
      assert.equal((await userinfo(t.app, r1.body.access_token as string)).statusCode, 401);
    });

    test('[B28] hashes only stored; ≥128-bit tokens; access tokens last 15 min; rotation emits an event', async () => {
      const events: GrantEvent[] = [];
      const off = t.auth.onGrantEvent((e) => events.push(e));
      const u = await newUser(t);
      const first = await webTokens(t, u.jar);
      const rows = await t.ctx.db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
      assert.ok(rows.rows.length > 0);
      assert.ok(
        !rows.rows.some((r) => r.token_hash === first.refresh_token || first.refresh_token.includes(r.token_hash)),
      );
      const dump = JSON.stringify((await t.ctx.db.query('SELECT * FROM refresh_tokens')).rows);
      assert.ok(!dump.includes(first.refresh_token.slice(4)));
      assert.match(first.refresh_token, /^mgr_[A-Za-z0-9_-]{43}$/); // 256 bits
      assert.equal(first.expires_in, 900);
      const payload = JSON.parse(Buffer.from(first.access_token.split('.')[1]!, 'base64url').toString());
      assert.equal(payload.exp - payload.iat, 900);
      await refresh(t, first.refresh_token);
      off();
      assert.ok(events.some((e) => e.type === 'token.rotated' && e.userId === u.user.id));
      const audit = await t.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE event = 'token.rotated' AND user_id = $1`,
        [u.user.id],
      );
      assert.ok(audit.rows[0]!.n >= 1);
    });
  });
}
