import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { isDomainError, manualClock } from '@media-gateway/domain';
import { freshDb } from '@media-gateway/testkit';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS, createTokenService, type TokenService } from '../src/token-service.ts';

const ISSUER = 'https://gateway.test';

/** Refused as UNAUTHENTICATED, with the underlying reason matching `reason`. */
const unauthenticated = (reason: RegExp) => (e: unknown) =>
  isDomainError(e) && e.code === 'UNAUTHENTICATED' && reason.test(String(e.details?.['reason']));

describe('token service: EdDSA access tokens with keys in the database', () => {
  let db: Db;
  let tokens: TokenService;
  before(async () => {
    db = await freshDb('pglite');
    tokens = await createTokenService(db, { issuer: ISSUER });
  });
  after(() => db.close());

  test('an issued token verifies back to its claims', async () => {
    const issued = await tokens.issueAccessToken({
      userId: 'usr_a',
      clientId: 'mg-cli',
      scopes: ['watchlist:read', 'devices'],
      familyId: 'fam_1',
    });
    assert.equal(issued.expiresIn, ACCESS_TOKEN_TTL_SECONDS);
    const claims = await tokens.verifyAccessToken(issued.token);
    assert.equal(claims.userId, 'usr_a');
    assert.equal(claims.clientId, 'mg-cli');
    assert.deepEqual(claims.scopes, ['watchlist:read', 'devices']);
    assert.equal(claims.tokenId, issued.tokenId);
    assert.equal(claims.familyId, 'fam_1');
    const payload = decodeJwt(issued.token);
    assert.equal(claims.expiresAt, payload.exp);
    assert.equal(payload.exp! - payload.iat!, ACCESS_TOKEN_TTL_SECONDS);
    assert.equal(payload.iss, ISSUER);
    assert.equal(decodeProtectedHeader(issued.token).typ, 'at+jwt');
  });

  test('an expired token is refused', async () => {
    const { token } = await tokens.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [], ttlSeconds: -5 });
    await assert.rejects(tokens.verifyAccessToken(token), unauthenticated(/exp/));
  });

  test('issue and expiry follow the injected clock: valid until its last second, refused after', async () => {
    const clock = manualClock(Date.parse('2030-01-01T00:00:00Z'));
    const timed = await createTokenService(db, { issuer: ISSUER, clock });
    const { token } = await timed.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [], ttlSeconds: 60 });
    assert.equal(decodeJwt(token).iat, Date.parse('2030-01-01T00:00:00Z') / 1000);
    clock.advance(59_000);
    assert.equal((await timed.verifyAccessToken(token)).userId, 'u');
    clock.advance(2_000);
    await assert.rejects(timed.verifyAccessToken(token), unauthenticated(/exp/));
  });

  test('a tampered, foreign or malformed token is refused', async () => {
    const { token } = await tokens.issueAccessToken({ userId: 'usr_a', clientId: 'c', scopes: ['devices'] });
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), scope: 'admin' })).toString('base64url');
    await assert.rejects(tokens.verifyAccessToken(`${h}.${forged}.${s}`), unauthenticated(/signature/));
    await assert.rejects(tokens.verifyAccessToken(`${h}.${p}.${s!.slice(0, -4)}AAAA`), unauthenticated(/./));
    await assert.rejects(tokens.verifyAccessToken('not-a-jwt'), unauthenticated(/./));
    await assert.rejects(tokens.verifyAccessToken(''), unauthenticated(/./));

    // Another install (own database, own keys) and another issuer on the same keys.
    const otherDb = await freshDb('pglite');
    try {
      const other = await createTokenService(otherDb, { issuer: ISSUER });
      const foreign = await other.issueAccessToken({ userId: 'usr_a', clientId: 'c', scopes: [] });
      await assert.rejects(tokens.verifyAccessToken(foreign.token), unauthenticated(/./));
    } finally {
      await otherDb.close();
    }
    const elsewhere = await createTokenService(db, { issuer: 'https://other.test' });
    const wrongIssuer = await elsewhere.issueAccessToken({ userId: 'usr_a', clientId: 'c', scopes: [] });
    await assert.rejects(tokens.verifyAccessToken(wrongIssuer.token), unauthenticated(/iss/));
    const wrongAudience = await createTokenService(db, { issuer: ISSUER, audience: 'someone-else' });
    const aud = await wrongAudience.issueAccessToken({ userId: 'usr_a', clientId: 'c', scopes: [] });
    await assert.rejects(tokens.verifyAccessToken(aud.token), unauthenticated(/aud/));
  });

  test('unknown scopes in a token are dropped, not trusted', async () => {
    const { token } = await tokens.issueAccessToken({
      userId: 'u',
      clientId: 'c',
      scopes: ['devices', 'superuser' as 'devices'],
    });
    assert.deepEqual((await tokens.verifyAccessToken(token)).scopes, ['devices']);
  });

  test('a revocation check refuses tokens of a revoked family, and only those', async () => {
    const revoked = new Set<string>();
    tokens.addRevocationCheck((c) => c.familyId !== undefined && revoked.has(c.familyId));
    const a = await tokens.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [], familyId: 'fam_gone' });
    const b = await tokens.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [], familyId: 'fam_kept' });
    const claims = await tokens.verifyAccessToken(a.token);
    assert.equal(tokens.isRevoked(claims), false);
    revoked.add('fam_gone');
    await assert.rejects(tokens.verifyAccessToken(a.token), unauthenticated(/revoked/));
    assert.equal(tokens.isRevoked(claims), true, 'already-verified claims are revoked too');
    assert.equal((await tokens.verifyAccessToken(b.token)).familyId, 'fam_kept');
  });

  test('after a key rotation old tokens still verify, new ones use the new key, and replicas agree', async () => {
    const old = await tokens.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [] });
    const oldKid = decodeProtectedHeader(old.token).kid;
    const kid = await tokens.rotateKeys();
    assert.notEqual(kid, oldKid);
    const fresh = await tokens.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [] });
    assert.equal(decodeProtectedHeader(fresh.token).kid, kid);
    await tokens.verifyAccessToken(old.token);
    const kids = tokens.jwks().keys.map((k) => k.kid);
    assert.ok(kids.includes(kid) && kids.includes(oldKid), 'both keys are published');
    assert.ok(
      tokens.jwks().keys.every((k) => k['d'] === undefined),
      'the JWKS never carries a private key',
    );
    // A second process on the same database signs with the same active key and verifies both.
    const replica = await createTokenService(db, { issuer: ISSUER });
    const fromReplica = await replica.issueAccessToken({ userId: 'u', clientId: 'c', scopes: [] });
    assert.equal(decodeProtectedHeader(fromReplica.token).kid, kid);
    await tokens.verifyAccessToken(fromReplica.token);
    await replica.verifyAccessToken(old.token);
  });
});
