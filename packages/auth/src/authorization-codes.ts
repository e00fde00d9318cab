import type { Db } from '@media-gateway/db';
import { audit } from './audit-log.ts';
import type { Clock } from './clock.ts';
import type { GrantService, TokenResponse } from './grant-service.ts';
import { OAuthError } from './oauth-error.ts';
import { isScope } from './scopes.ts';
import { CODE_VERIFIER_PATTERN, hashSecret, randomToken, s256, safeEqual } from './secrets.ts';

/** Codes live 60 s (RFC 9700 recommends ≤ 10 min); a browser redirect takes well under that. */
export const CODE_TTL_SECONDS = 60;

interface CodeRow {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  scopes: string[];
  code_challenge: string | null;
  expires_at: Date;
}

export function createAuthorizationCodes(db: Db, clock: Clock, grants: GrantService) {
  return {
    async create(input: {
      clientId: string;
      userId: string;
      redirectUri: string;
      scopes: readonly string[];
      codeChallenge: string | null;
    }): Promise<string> {
      const code = randomToken(32);
      await db.query(
        'INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, ' +
          'scopes, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          hashSecret(code),
          input.clientId,
          input.userId,
          input.redirectUri,
          input.scopes,
          input.codeChallenge,
          new Date(clock.now() + CODE_TTL_SECONDS * 1000),
        ],
      );
      return code;
    },

    /** Exchanges a code (RFC 6749 §4.1.3 + RFC 7636 §4.6). Every failure is invalid_grant. */
    async redeem(input: {
      code: string;
      clientId: string;
      redirectUri: string | undefined;
      codeVerifier: string | undefined;
      ip?: string | undefined;
    }): Promise<TokenResponse> {
      const codeHash = hashSecret(input.code);
      // Mark used first and atomically: of two concurrent redemptions exactly one proceeds.
      const claimed = await db.query<CodeRow>(
        'UPDATE authorization_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL RETURNING *',
        [codeHash, new Date(clock.now())],
      );
      const row = claimed.rows[0];
      if (!row) {
        const seen = await db.query<{ user_id: string; client_id: string }>(
          'SELECT user_id, client_id FROM authorization_codes WHERE code_hash = $1',
          [codeHash],
        );
        if (seen.rows[0]) {
          await grants.revokeByCode(codeHash);
          await audit(db, 'code.reuse', {
            userId: seen.rows[0].user_id,
            clientId: seen.rows[0].client_id,
            ip: input.ip,
          });
          throw new OAuthError(
            'invalid_grant',
            'This authorization code was already used; the tokens issued from it are revoked.',
          );
        }
        throw new OAuthError('invalid_grant', 'Unknown authorization code.');
      }
      if (row.expires_at.getTime() <= clock.now())
        throw new OAuthError('invalid_grant', 'The authorization code expired.');
      if (row.client_id !== input.clientId)
        throw new OAuthError('invalid_grant', 'The code was issued to another client.');
      if (input.redirectUri !== row.redirect_uri)
        throw new OAuthError('invalid_grant', 'redirect_uri differs from the one in the authorization request.');
      if (row.code_challenge === null) {
        // Downgrade protection (B17): a verifier for a code that had no challenge means tampering.
        if (input.codeVerifier !== undefined)
          throw new OAuthError('invalid_grant', 'A code_verifier was sent for a code issued without a code_challenge.');
      } else {
        if (input.codeVerifier === undefined) throw new OAuthError('invalid_grant', 'code_verifier is required.');
        if (!CODE_VERIFIER_PATTERN.test(input.codeVerifier))
          throw new OAuthError('invalid_grant', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~].');
        if (!safeEqual(s256(input.codeVerifier), row.code_challenge))
          throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
      }
      return grants.issue({
        userId: row.user_id,
        clientId: row.client_id,
        scopes: row.scopes.filter(isScope),
        codeHash,
        ip: input.ip,
      });
    },
  };
}

export type AuthorizationCodes = ReturnType<typeof createAuthorizationCodes>;
