import { randomUUID } from 'node:crypto';
import type { Db } from '@media-gateway/db';
import { type Clock, DomainError, systemClock } from '@media-gateway/domain';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
  createLocalJWKSet,
  type JSONWebKeySet,
} from 'jose';
import { parseScopes, type Scope } from './scopes.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = 'EdDSA';

export interface AccessTokenClaims {
  userId: string;
  clientId: string;
  scopes: Scope[];
  /** Token id (jti), for audit and revocation lists. */
  tokenId: string;
  expiresAt: number;
  /** The grant (refresh-token family) the token came from; revoking the family revokes the token. */
  familyId?: string | undefined;
}

export interface TokenService {
  issueAccessToken(input: {
    userId: string;
    clientId: string;
    scopes: readonly Scope[];
    ttlSeconds?: number;
    familyId?: string;
  }): Promise<{ token: string; expiresIn: number; tokenId: string }>;
  /** Throws DomainError UNAUTHENTICATED with a reason when the token is not valid. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims>;
  jwks(): JSONWebKeySet;
  /** Adds a new active key; the old one stays published (retired) so its tokens keep verifying. */
  rotateKeys(): Promise<string>;
  /** Adds a check run after the signature is verified; returning true refuses the token as revoked. */
  addRevocationCheck(isRevoked: (claims: AccessTokenClaims) => boolean): void;
  /**
   * Whether already-verified claims have been revoked since (sign-out, password change, account
   * deletion, grant revocation): a map lookup, cheap enough for long-lived connections to ask often.
   */
  isRevoked(claims: AccessTokenClaims): boolean;
  readonly issuer: string;
}

interface KeyRow {
  kid: string;
  private_jwk: JWK;
  public_jwk: JWK;
  status: 'active' | 'retired';
}

/** Access tokens are short-lived EdDSA JWTs signed with keys persisted in the database. */
export async function createTokenService(
  db: Db,
  options: { issuer: string; audience?: string; clock?: Clock },
): Promise<TokenService> {
  const audience = options.audience ?? 'media-gateway';
  // Issue and expiry times come from the one injectable clock, like every other decision made with time.
  const clock = options.clock ?? systemClock();
  let rows = (
    await db.query<KeyRow>(`SELECT kid, private_jwk, public_jwk, status FROM signing_keys ORDER BY created_at`)
  ).rows;
  if (!rows.some((r) => r.status === 'active')) {
    await addKey(db);
    rows = (await db.query<KeyRow>(`SELECT kid, private_jwk, public_jwk, status FROM signing_keys ORDER BY created_at`))
      .rows;
  }
  let active = await loadActive(rows);
  let jwks: JSONWebKeySet = { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid, alg: ALG, use: 'sig' })) };
  let keySet = createLocalJWKSet(jwks);
  const revocationChecks: Array<(claims: AccessTokenClaims) => boolean> = [];

  return {
    issuer: options.issuer,
    async issueAccessToken({ userId, clientId, scopes, ttlSeconds = ACCESS_TOKEN_TTL_SECONDS, familyId }) {
      const tokenId = randomUUID();
      const token = await new SignJWT({
        scope: scopes.join(' '),
        client_id: clientId,
        ...(familyId ? { fid: familyId } : {}),
      })
        .setProtectedHeader({ alg: ALG, kid: active.kid, typ: 'at+jwt' })
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setSubject(userId)
        .setJti(tokenId)
        .setIssuedAt(Math.floor(clock.now() / 1000))
        .setExpirationTime(Math.floor(clock.now() / 1000) + ttlSeconds)
        .sign(active.key);
      return { token, expiresIn: ttlSeconds, tokenId };
    },
    async verifyAccessToken(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: options.issuer,
          audience,
          algorithms: [ALG],
          typ: 'at+jwt',
          currentDate: new Date(clock.now()),
        });
        if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
          throw new Error('token lacks sub, jti or exp');
        }
        const claims: AccessTokenClaims = {
          userId: payload.sub,
          clientId: typeof payload.client_id === 'string' ? payload.client_id : '',
          scopes: parseScopes(typeof payload.scope === 'string' ? payload.scope : ''),
          tokenId: payload.jti,
          expiresAt: payload.exp,
          familyId: typeof payload['fid'] === 'string' ? payload['fid'] : undefined,
        };
        if (revocationChecks.some((isRevoked) => isRevoked(claims))) throw new Error('token revoked');
        return claims;
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'invalid token';
        throw new DomainError('UNAUTHENTICATED', 'The access token is not valid.', { reason }, error);
      }
    },
    jwks: () => jwks,
    addRevocationCheck(isRevoked) {
      revocationChecks.push(isRevoked);
    },
    isRevoked(claims) {
      return revocationChecks.some((isRevoked) => isRevoked(claims));
    },
    async rotateKeys() {
      await db.query(`UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE status = 'active'`);
      const kid = await addKey(db);
      rows = (
        await db.query<KeyRow>(`SELECT kid, private_jwk, public_jwk, status FROM signing_keys ORDER BY created_at`)
      ).rows;
      active = await loadActive(rows);
      jwks = { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid, alg: ALG, use: 'sig' })) };
      keySet = createLocalJWKSet(jwks);
      return kid;
    },
  };
}

async function addKey(db: Db): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  await db.query(
    `INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, status) ` +
      `VALUES ($1, $2, $3::jsonb, $4::jsonb, 'active')`,
    [kid, ALG, JSON.stringify(await exportJWK(privateKey)), JSON.stringify(await exportJWK(publicKey))],
  );
  return kid;
}

async function loadActive(rows: KeyRow[]): Promise<{ kid: string; key: CryptoKey }> {
  const row = rows.filter((r) => r.status === 'active').at(-1);
  if (!row) throw new Error('no active signing key');
  const key = (await importJWK(row.private_jwk, ALG)) as CryptoKey;
  return { kid: row.kid, key };
}
