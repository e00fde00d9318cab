import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authFixture, oauthError } from './auth-fixture.ts';

/** Refresh-token families: rotation, reuse detection, lifetimes, scopes and revocation (RFC 9700 §4.14). */
describe('grant service', () => {
  const lifetimes = { absoluteSeconds: 3600, idleSeconds: 600, graceSeconds: 10 };

  test('issue starts a family; refresh rotates the token and keeps the family', async () => {
    const f = await authFixture(lifetimes);
    try {
      const first = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: ['watchlist:read'] });
      assert.equal(first.token_type, 'Bearer');
      assert.equal(first.scope, 'watchlist:read');
      assert.match(first.refresh_token, /^mgr_/);
      const family = (await f.auth.tokens.verifyAccessToken(first.access_token)).familyId;
      assert.match(family ?? '', /^fam_/);
      const next = await f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli' });
      assert.notEqual(next.refresh_token, first.refresh_token);
      assert.equal((await f.auth.tokens.verifyAccessToken(next.access_token)).familyId, family);
      assert.deepEqual(
        f.events.map((e) => e.type),
        ['token.rotated'],
      );
      // The successor rotates in turn.
      const third = await f.auth.grants.refresh({ refreshToken: next.refresh_token, clientId: 'mg-cli' });
      assert.notEqual(third.refresh_token, next.refresh_token);
    } finally {
      await f.close();
    }
  });

  test('a retry inside the grace window gets the same successor; reuse after it revokes the family', async () => {
    const f = await authFixture(lifetimes);
    try {
      const first = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: ['devices'] });
      const a = await f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli' });
      f.clock.advance(5_000);
      const retry = await f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli' });
      assert.equal(retry.refresh_token, a.refresh_token, 'concurrent refreshes agree');
      f.clock.advance(10_000);
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /already used/),
      );
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: a.refresh_token, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /revoked/),
        'the successor dies with the family',
      );
      await assert.rejects(f.auth.tokens.verifyAccessToken(a.access_token), /not valid/);
      assert.ok(f.events.some((e) => e.type === 'family.revoked' && e.reason === 'refresh_reuse'));
    } finally {
      await f.close();
    }
  });

  test('a refresh token is bound to its client: another client learns nothing and revokes nothing', async () => {
    const f = await authFixture(lifetimes);
    try {
      const first = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: ['devices'] });
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-tv' }),
        oauthError('invalid_grant', /another client/),
      );
      await f.auth.grants.revokeRefreshToken(first.refresh_token, 'mg-tv');
      await f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli' });
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: 'mgr_unknown', clientId: 'mg-cli' }),
        oauthError('invalid_grant', /Unknown/),
      );
    } finally {
      await f.close();
    }
  });

  test('an unused refresh token expires after the idle time; a family ends at its absolute age', async () => {
    const f = await authFixture(lifetimes);
    try {
      const idle = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: [] });
      const busy = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: [] });
      let token = busy.refresh_token;
      // Refresh every 500 s (under the 600 s idle limit) until the 3600 s absolute limit.
      for (let t = 500; t < 3600; t += 500) {
        f.clock.advance(500_000);
        token = (await f.auth.grants.refresh({ refreshToken: token, clientId: 'mg-cli' })).refresh_token;
      }
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: idle.refresh_token, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /unused/),
      );
      f.clock.advance(500_000);
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: token, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /maximum age/),
      );
    } finally {
      await f.close();
    }
  });

  test('a refresh may narrow the scopes, never widen them', async () => {
    const f = await authFixture(lifetimes);
    try {
      const first = await f.auth.grants.issue({
        userId: 'usr_a',
        clientId: 'mg-cli',
        scopes: ['watchlist:read', 'devices'],
      });
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: first.refresh_token, clientId: 'mg-cli', scope: 'devices admin' }),
        oauthError('invalid_scope'),
      );
      const narrow = await f.auth.grants.refresh({
        refreshToken: first.refresh_token,
        clientId: 'mg-cli',
        scope: 'devices',
      });
      assert.equal(narrow.scope, 'devices');
      assert.deepEqual((await f.auth.tokens.verifyAccessToken(narrow.access_token)).scopes, ['devices']);
      // The family keeps its original scopes: the next refresh without a scope gets both back.
      const wide = await f.auth.grants.refresh({ refreshToken: narrow.refresh_token, clientId: 'mg-cli' });
      assert.equal(wide.scope, 'watchlist:read devices');
    } finally {
      await f.close();
    }
  });

  test('revoking a refresh token ends its family; revoking a user ends every family of that user only', async () => {
    const f = await authFixture(lifetimes);
    try {
      const one = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-cli', scopes: [] });
      const two = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-tv', scopes: [] });
      const three = await f.auth.grants.issue({ userId: 'usr_a', clientId: 'mg-web', scopes: [] });
      const bob = await f.auth.grants.issue({ userId: 'usr_b', clientId: 'mg-cli', scopes: [] });
      await f.auth.grants.revokeRefreshToken(one.refresh_token, 'mg-cli');
      await f.auth.grants.revokeRefreshToken('mgr_never_issued', 'mg-cli');
      await assert.rejects(f.auth.tokens.verifyAccessToken(one.access_token));
      await f.auth.tokens.verifyAccessToken(two.access_token);
      assert.equal(await f.auth.grants.revokeUser('usr_a', 'signout_everywhere'), 2, 'the two families left');
      for (const t of [two, three]) {
        await assert.rejects(f.auth.tokens.verifyAccessToken(t.access_token));
        await assert.rejects(
          f.auth.grants.refresh({ refreshToken: t.refresh_token, clientId: t === two ? 'mg-tv' : 'mg-web' }),
          oauthError('invalid_grant', /revoked/),
        );
      }
      await f.auth.tokens.verifyAccessToken(bob.access_token);
      await f.auth.grants.refresh({ refreshToken: bob.refresh_token, clientId: 'mg-cli' });
      assert.equal(f.events.filter((e) => e.type === 'family.revoked').length, 3);
    } finally {
      await f.close();
    }
  });
});
