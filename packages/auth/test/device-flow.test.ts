import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEVICE_CODE_TTL_SECONDS, DEVICE_INTERVAL_SECONDS } from '../src/device-flow.ts';
import { generateUserCode, normalizeUserCode, USER_CODE_ALPHABET } from '../src/secrets.ts';
import { authFixture, oauthError } from './auth-fixture.ts';

const VERIFY = 'https://gateway.test/device';

describe('device authorization grant (RFC 8628)', () => {
  test('user codes: 8 letters from the 20-consonant alphabet, entered in any case, with dashes or spaces', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      assert.match(code, /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      seen.add(code);
    }
    assert.equal(seen.size, 200, 'no repeats in 200 codes');
    assert.equal(USER_CODE_ALPHABET.length, 20);
    assert.doesNotMatch(USER_CODE_ALPHABET, /[AEIOUY0-9]/, 'no vowels, no digits');
    assert.equal(normalizeUserCode(' bcdf-ghjk '), 'BCDFGHJK');
    assert.equal(normalizeUserCode('bcdf ghjk'), 'BCDFGHJK');
  });

  test('start shows a formatted code, the interval and the lifetime', async () => {
    const f = await authFixture();
    try {
      const s = await f.auth.devices.start({ clientId: 'mg-tv', scopes: ['devices'], verificationUri: VERIFY });
      assert.match(s.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      assert.equal(s.interval, DEVICE_INTERVAL_SECONDS);
      assert.equal(s.expires_in, DEVICE_CODE_TTL_SECONDS);
      assert.equal(s.verification_uri_complete, `${VERIFY}?user_code=${s.user_code}`);
      assert.ok(s.device_code.length >= 43);
      const pending = await f.auth.devices.lookup(s.user_code.toLowerCase().replace('-', ' '));
      assert.equal(pending?.clientId, 'mg-tv');
      assert.deepEqual(pending?.scopes, ['devices']);
      assert.equal(await f.auth.devices.lookup('BCDF-GHJK'), undefined, 'an unknown code');
      assert.equal(await f.auth.devices.lookup('not a code'), undefined);
    } finally {
      await f.close();
    }
  });

  test('polling: pending, slow_down if too fast (interval grows by 5 s), then tokens once approved, once', async () => {
    const f = await authFixture();
    try {
      const s = await f.auth.devices.start({
        clientId: 'mg-tv',
        scopes: ['devices', 'admin'],
        verificationUri: VERIFY,
      });
      const poll = () => f.auth.devices.poll({ deviceCode: s.device_code, clientId: 'mg-tv' });
      await assert.rejects(poll(), oauthError('authorization_pending'));
      f.clock.advance(4_000);
      await assert.rejects(poll(), oauthError('slow_down', /10 s/));
      f.clock.advance(9_000);
      await assert.rejects(poll(), oauthError('slow_down', /15 s/), '9 s is under the new 10 s interval');
      f.clock.advance(15_000);
      await assert.rejects(poll(), oauthError('authorization_pending'));

      const decided = await f.auth.devices.decide({
        userCode: s.user_code,
        userId: 'usr_a',
        isAdmin: false,
        approve: true,
      });
      assert.deepEqual(decided?.scopes, ['devices'], 'admin is stripped for a non-administrator');
      assert.equal(await f.auth.devices.lookup(s.user_code), undefined, 'no longer pending');
      f.clock.advance(15_000);
      const tokens = await poll();
      const claims = await f.auth.tokens.verifyAccessToken(tokens.access_token);
      assert.equal(claims.userId, 'usr_a');
      assert.deepEqual(claims.scopes, ['devices']);
      f.clock.advance(15_000);
      await assert.rejects(poll(), oauthError('invalid_grant', /already exchanged/));
    } finally {
      await f.close();
    }
  });

  test('denied, expired, and another client', async () => {
    const f = await authFixture();
    try {
      const denied = await f.auth.devices.start({ clientId: 'mg-tv', scopes: [], verificationUri: VERIFY });
      await f.auth.devices.decide({ userCode: denied.user_code, userId: 'usr_a', isAdmin: false, approve: false });
      await assert.rejects(
        f.auth.devices.poll({ deviceCode: denied.device_code, clientId: 'mg-tv' }),
        oauthError('access_denied'),
      );
      assert.equal(
        await f.auth.devices.decide({ userCode: denied.user_code, userId: 'usr_a', isAdmin: false, approve: true }),
        undefined,
        'a decided code cannot be decided again',
      );

      const late = await f.auth.devices.start({ clientId: 'mg-tv', scopes: [], verificationUri: VERIFY });
      await assert.rejects(
        f.auth.devices.poll({ deviceCode: late.device_code, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /Unknown/),
      );
      f.clock.advance(DEVICE_CODE_TTL_SECONDS * 1000);
      assert.equal(await f.auth.devices.lookup(late.user_code), undefined, 'an expired code cannot be approved');
      await assert.rejects(
        f.auth.devices.poll({ deviceCode: late.device_code, clientId: 'mg-tv' }),
        oauthError('expired_token'),
      );
    } finally {
      await f.close();
    }
  });
});
