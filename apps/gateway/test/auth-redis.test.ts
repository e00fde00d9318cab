import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisUrl, testBackends } from '@media-gateway/testkit';
import type { FastifyInstance } from 'fastify';
import {
  type AuthReplicas,
  cookies,
  createAuthReplicas,
  csrfIn,
  FORM,
  form,
  newUser,
  signIn,
  token,
  userinfo,
  webTokens,
} from './auth-helpers.ts';

/**
 * Issue 3 with REDIS_URL: two gateway replicas on one database and one Redis. Sessions live in
 * Redis, rate-limit budgets are shared, and a revocation on one replica reaches the other through
 * pub/sub. Database polling is switched off (MG_AUTH_REVOCATION_POLL_MS=0) so only pub/sub can
 * make the second replica refuse a revoked token.
 */
const redis = redisUrl();

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  return -1;
}

const accountStatus = async (app: FastifyInstance, jar: string) =>
  (await app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: jar } })).statusCode;

for (const backend of testBackends()) {
  describe(`auth with Redis, two replicas (${backend})`, { skip: redis.skip }, () => {
    let r: AuthReplicas;
    before(async () => {
      r = await createAuthReplicas(backend, { REDIS_URL: redis.url!, MG_AUTH_REVOCATION_POLL_MS: '0' });
    });
    after(() => r?.close());

    test('web sessions are kept in Redis and valid on every replica; sign-out ends them everywhere', async () => {
      assert.equal(r.a.auth.storage, 'redis');
      assert.equal(r.a.auth.sessions.store, 'redis');
      const person = await newUser(r.a);
      assert.equal(await accountStatus(r.b.app, person.jar), 200, 'a session made on A works on B');
      const rows = await r.a.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM web_sessions');
      assert.equal(rows.rows[0]!.n, 0, 'no session rows in the database');

      // Sign out on B; A no longer knows the session.
      const page = await r.b.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: person.jar } });
      const out = await r.b.app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { ...FORM, cookie: person.jar },
        payload: form({ csrf: csrfIn(page.body) }),
      });
      assert.equal(out.statusCode, 303);
      assert.equal(await accountStatus(r.a.app, person.jar), 303, 'signed out on A too');
    });

    test('"sign out everywhere" on A ends every session and token family; B refuses its access token now', async () => {
      const person = await newUser(r.a);
      const laptop = await signIn(r.b.app, person.email, person.password);
      const tokens = await webTokens(r.a, person.jar);
      assert.equal((await userinfo(r.b.app, tokens.access_token)).statusCode, 200);
      const page = await r.a.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: person.jar } });
      const res = await r.a.app.inject({
        method: 'POST',
        url: '/auth/logout-everywhere',
        headers: { ...FORM, cookie: person.jar },
        payload: form({ csrf: csrfIn(page.body) }),
      });
      assert.equal(res.statusCode, 303);
      assert.equal(await accountStatus(r.b.app, laptop), 303, 'the other browser is signed out');
      assert.equal(await accountStatus(r.b.app, person.jar), 303);
      const took = await until(async () => (await userinfo(r.b.app, tokens.access_token)).statusCode === 401, 2000);
      assert.ok(took >= 0, 'B refuses the revoked access token (pub/sub; polling is off)');
      assert.equal(
        (
          await token(r.b.app, {
            grant_type: 'refresh_token',
            refresh_token: tokens.refresh_token,
            client_id: 'mg-web',
          })
        ).body['error'],
        'invalid_grant',
      );
    });

    test('a token revoked on A (RFC 7009) is refused on B within a second, with polling off', async () => {
      const person = await newUser(r.a);
      const tokens = await webTokens(r.a, person.jar);
      assert.equal((await userinfo(r.b.app, tokens.access_token)).statusCode, 200);
      const revoke = await r.a.app.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: FORM,
        payload: form({ token: tokens.refresh_token, client_id: 'mg-web' }),
      });
      assert.equal(revoke.statusCode, 200);
      const took = await until(async () => (await userinfo(r.b.app, tokens.access_token)).statusCode === 401, 1000);
      assert.ok(took >= 0, 'B learned of the revocation through Redis pub/sub');
    });

    test('a password change on B ends the sessions made on A', async () => {
      const person = await newUser(r.a);
      const other = await signIn(r.b.app, person.email, person.password);
      const page = await r.b.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: other } });
      const res = await r.b.app.inject({
        method: 'POST',
        url: '/auth/password',
        headers: { ...FORM, cookie: other },
        payload: form({
          csrf: csrfIn(page.body),
          current_password: person.password,
          new_password: 'another long passphrase',
        }),
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(await accountStatus(r.a.app, person.jar), 303, 'old session on A ended');
      assert.equal(
        await accountStatus(r.a.app, cookies(res, other)),
        200,
        'the browser that changed it got a fresh session',
      );
    });

    test('sessions expire after 7 days by the auth clock', async () => {
      const person = await newUser(r.a);
      assert.equal(await accountStatus(r.b.app, person.jar), 200);
      r.advance(7 * 86400 + 1);
      assert.equal(await accountStatus(r.b.app, person.jar), 303);
    });
  });

  describe(`shared rate limits, two replicas on one Redis (${backend})`, { skip: redis.skip }, () => {
    let r: AuthReplicas;
    before(async () => {
      r = await createAuthReplicas(backend, {
        REDIS_URL: redis.url!,
        MG_AUTH_RATE_LIMIT_LOGIN: '3',
        MG_AUTH_RATE_LIMIT_TOKEN: '4',
      });
      r.alignToWindowStart();
    });
    after(() => r?.close());

    test('sign-in attempts alternating between replicas spend one budget per IP and email', async () => {
      const statuses: number[] = [];
      for (const app of [r.a.app, r.b.app, r.a.app, r.b.app]) {
        const page = await app.inject({ method: 'GET', url: '/auth/login' });
        const res = await app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { ...FORM, cookie: cookies(page) },
          payload: form({ email: 'nobody@example.test', password: 'wrong', csrf: csrfIn(page.body) }),
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) assert.ok(Number(res.headers['retry-after']) >= 1);
      }
      // Per-process counters would allow 2 + 2 attempts here.
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    });

    test('the token endpoint budget is shared too, and a new window restores it', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await token(i % 2 ? r.b.app : r.a.app, {
          grant_type: 'refresh_token',
          refresh_token: 'mgr_unknown',
          client_id: 'mg-cli',
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [400, 400, 400, 400, 429, 429]);
      r.advance(60);
      assert.equal(
        (await token(r.b.app, { grant_type: 'refresh_token', refresh_token: 'mgr_unknown', client_id: 'mg-cli' }))
          .status,
        400,
      );
    });
  });

  describe(`revocations without Redis (${backend})`, () => {
    let r: AuthReplicas;
    before(async () => {
      r = await createAuthReplicas(backend, { MG_AUTH_REVOCATION_POLL_MS: '200' });
    });
    after(() => r?.close());

    test('database sessions and polling: the other replica refuses a revoked token after its next poll', async () => {
      assert.equal(r.a.auth.storage, 'database');
      const person = await newUser(r.a);
      assert.equal(await accountStatus(r.b.app, person.jar), 200);
      const tokens = await webTokens(r.a, person.jar);
      await r.a.app.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: FORM,
        payload: form({ token: tokens.refresh_token, client_id: 'mg-web' }),
      });
      const took = await until(async () => (await userinfo(r.b.app, tokens.access_token)).statusCode === 401, 3000);
      assert.ok(took >= 0, 'B picked the revocation up from the database');
    });
  });
}
