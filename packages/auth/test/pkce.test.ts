import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CODE_CHALLENGE_PATTERN, CODE_VERIFIER_PATTERN, s256 } from '../src/secrets.ts';
import { authFixture, oauthError } from './auth-fixture.ts';

const REDIRECT = 'http://127.0.0.1/callback';
// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256 and authorization codes (RFC 7636, RFC 6749 §4.1)', () => {
  test('S256 matches the RFC 7636 example; verifier and challenge patterns', () => {
    assert.equal(s256(VERIFIER), CHALLENGE);
    assert.match(CHALLENGE, CODE_CHALLENGE_PATTERN);
    assert.match(VERIFIER, CODE_VERIFIER_PATTERN);
    assert.doesNotMatch('a'.repeat(42), CODE_VERIFIER_PATTERN, 'too short');
    assert.doesNotMatch('a'.repeat(129), CODE_VERIFIER_PATTERN, 'too long');
    assert.doesNotMatch(`${'a'.repeat(42)}+`, CODE_VERIFIER_PATTERN, 'outside the unreserved set');
    assert.doesNotMatch(`${CHALLENGE}=`, CODE_CHALLENGE_PATTERN, 'padding');
  });

  async function withCode(
    codeChallenge: string | null,
    fn: (f: Awaited<ReturnType<typeof authFixture>>, code: string) => Promise<void>,
  ) {
    const f = await authFixture();
    try {
      const code = await f.auth.codes.create({
        clientId: 'mg-cli',
        userId: 'usr_a',
        redirectUri: REDIRECT,
        scopes: ['watchlist:read'],
        codeChallenge,
      });
      await fn(f, code);
    } finally {
      await f.close();
    }
  }
  const redeem = (
    f: Awaited<ReturnType<typeof authFixture>>,
    code: string,
    over: Partial<{ clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined }> = {},
  ) => f.auth.codes.redeem({ code, clientId: 'mg-cli', redirectUri: REDIRECT, codeVerifier: VERIFIER, ...over });

  test('the right verifier redeems the code for tokens', () =>
    withCode(CHALLENGE, async (f, code) => {
      const tokens = await redeem(f, code);
      const claims = await f.auth.tokens.verifyAccessToken(tokens.access_token);
      assert.equal(claims.userId, 'usr_a');
      assert.deepEqual(claims.scopes, ['watchlist:read']);
    }));

  test('a wrong, missing or malformed verifier is refused', async () => {
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(
        redeem(f, code, { codeVerifier: `${VERIFIER.slice(0, -1)}d` }),
        oauthError('invalid_grant', /does not match/),
      ),
    );
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(redeem(f, code, { codeVerifier: undefined }), oauthError('invalid_grant', /required/)),
    );
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(redeem(f, code, { codeVerifier: 'short' }), oauthError('invalid_grant', /43-128/)),
    );
    // The plain method (verifier equal to the challenge) is not S256.
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(redeem(f, code, { codeVerifier: CHALLENGE }), oauthError('invalid_grant', /does not match/)),
    );
  });

  test('a verifier for a code issued without a challenge is a downgrade and refused', () =>
    withCode(null, async (f, code) => {
      await assert.rejects(redeem(f, code), oauthError('invalid_grant', /without a code_challenge/));
    }));

  test('client and redirect_uri must match the authorization request; codes expire after 60 s', async () => {
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(redeem(f, code, { clientId: 'mg-web' }), oauthError('invalid_grant', /another client/)),
    );
    await withCode(CHALLENGE, (f, code) =>
      assert.rejects(
        redeem(f, code, { redirectUri: 'http://127.0.0.1/other' }),
        oauthError('invalid_grant', /redirect_uri/),
      ),
    );
    await withCode(CHALLENGE, async (f, code) => {
      f.clock.advance(60_000);
      await assert.rejects(redeem(f, code), oauthError('invalid_grant', /expired/));
    });
  });

  test('a replayed code is refused and revokes the tokens issued from it', () =>
    withCode(CHALLENGE, async (f, code) => {
      const tokens = await redeem(f, code);
      await assert.rejects(redeem(f, code), oauthError('invalid_grant', /already used/));
      await assert.rejects(f.auth.tokens.verifyAccessToken(tokens.access_token));
      await assert.rejects(
        f.auth.grants.refresh({ refreshToken: tokens.refresh_token, clientId: 'mg-cli' }),
        oauthError('invalid_grant', /revoked/),
      );
      await assert.rejects(
        f.auth.codes.redeem({
          code: 'never-issued',
          clientId: 'mg-cli',
          redirectUri: REDIRECT,
          codeVerifier: VERIFIER,
        }),
        oauthError('invalid_grant', /Unknown/),
      );
    }));
});
