import type { Db, Queryable } from '@media-gateway/db';
import { audit } from './audit-log.ts';
import type { Clock } from './clock.ts';
import { OAuthError } from './oauth-error.ts';
import type { RevocationList } from './revocation-list.ts';
import { isScope, parseScopes, type Scope } from './scopes.ts';
import { hashSecret, hmac, randomToken } from './secrets.ts';
import type { TokenService } from './token-service.ts';

export interface GrantLifetimes {
  /** A family (one sign-in on one client) ends after this, however active it is. */
  absoluteSeconds: number;
  /** A refresh token unused for this long expires. */
  idleSeconds: number;
  /** A rotated token presented again within this window returns the same successor (concurrent refreshes). */
  graceSeconds: number;
}

export const DEFAULT_LIFETIMES: GrantLifetimes = {
  absoluteSeconds: 30 * 86400,
  idleSeconds: 14 * 86400,
  graceSeconds: 10,
};

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export type GrantEvent = {
  type: 'token.rotated' | 'family.revoked';
  userId: string;
  clientId: string;
  familyId: string;
  reason?: string;
};

interface RefreshRow {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  family_scopes: string[];
  idle_expires_at: Date;
  rotated_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
}

/**
 * Refresh-token families with rotation and reuse detection (RFC 9700 §4.14). A successor token is
 * HMAC(secret, presented token): a retry inside the grace window can be answered with the same
 * successor although only hashes are stored, and nobody without the server secret can derive it.
 */
export function createGrantService(deps: {
  db: Db;
  tokens: TokenService;
  clock: Clock;
  revocations: RevocationList;
  secret: string;
  lifetimes: GrantLifetimes;
  emit(event: GrantEvent): void;
}) {
  const { db, tokens, clock, revocations, lifetimes } = deps;
  const at = (offsetSeconds = 0) => new Date(clock.now() + offsetSeconds * 1000);

  async function accessToken(userId: string, clientId: string, scopes: readonly Scope[], familyId: string) {
    return tokens.issueAccessToken({ userId, clientId, scopes, familyId });
  }

  async function insertRefresh(
    q: Queryable,
    token: string,
    familyId: string,
    clientId: string,
    scopes: readonly string[],
  ) {
    await q.query(
      'INSERT INTO refresh_tokens (token_hash, family_id, client_id, scopes, created_at, idle_expires_at) ' +
        'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token_hash) DO NOTHING',
      [hashSecret(token), familyId, clientId, scopes, at(), at(lifetimes.idleSeconds)],
    );
  }

  async function revokeFamilies(where: string, params: unknown[], reason: string): Promise<number> {
    const rows = await db.query<{ id: string; user_id: string; client_id: string }>(
      `UPDATE token_families SET revoked_at = $${params.length + 1}, revoked_reason = $${params.length + 2}
       WHERE ${where} AND revoked_at IS NULL RETURNING id, user_id, client_id`,
      [...params, at(), reason],
    );
    // Local list at once; other replicas through pub/sub (when Redis is configured) or polling.
    revocations.revoked(rows.rows.map((r) => r.id));
    for (const r of rows.rows) {
      deps.emit({ type: 'family.revoked', userId: r.user_id, clientId: r.client_id, familyId: r.id, reason });
    }
    return rows.rows.length;
  }

  return {
    /** Starts a family (a new grant) and issues the first access and refresh tokens. */
    async issue(input: {
      userId: string;
      clientId: string;
      scopes: readonly Scope[];
      codeHash?: string;
      ip?: string | undefined;
    }): Promise<TokenResponse> {
      const familyId = `fam_${randomToken(16)}`;
      const refresh = `mgr_${randomToken(32)}`;
      await db.transaction(async (tx) => {
        await tx.query(
          'INSERT INTO token_families (id, client_id, user_id, scopes, code_hash, created_at, expires_at) ' +
            'VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            familyId,
            input.clientId,
            input.userId,
            input.scopes,
            input.codeHash ?? null,
            at(),
            at(lifetimes.absoluteSeconds),
          ],
        );
        await insertRefresh(tx, refresh, familyId, input.clientId, input.scopes);
      });
      const access = await accessToken(input.userId, input.clientId, input.scopes, familyId);
      await audit(db, 'token.issued', {
        userId: input.userId,
        clientId: input.clientId,
        ip: input.ip,
        details: { family: familyId, jti: access.tokenId },
      });
      return {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.expiresIn,
        refresh_token: refresh,
        scope: input.scopes.join(' '),
      };
    },

    async refresh(input: {
      refreshToken: string;
      clientId: string;
      scope?: string | undefined;
      ip?: string | undefined;
    }): Promise<TokenResponse> {
      const found = await db.query<RefreshRow>(
        `SELECT r.token_hash, r.family_id, r.client_id, f.user_id, f.scopes AS family_scopes, r.idle_expires_at,
           r.rotated_at, f.expires_at, f.revoked_at
         FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = $1`,
        [hashSecret(input.refreshToken)],
      );
      const row = found.rows[0];
      if (!row) throw new OAuthError('invalid_grant', 'Unknown refresh token.');
      // Bound to its client: another client presenting it learns nothing and revokes nothing (B24).
      if (row.client_id !== input.clientId)
        throw new OAuthError('invalid_grant', 'This refresh token was issued to another client.');
      if (row.revoked_at) throw new OAuthError('invalid_grant', 'This grant was revoked; sign in again.');
      const now = clock.now();
      if (row.expires_at.getTime() <= now)
        throw new OAuthError('invalid_grant', 'This sign-in has reached its maximum age; sign in again.');
      if (row.idle_expires_at.getTime() <= now)
        throw new OAuthError('invalid_grant', 'This refresh token expired after being unused; sign in again.');

      let scopes = row.family_scopes.filter(isScope);
      if (input.scope !== undefined) {
        const asked = input.scope.split(/\s+/).filter(Boolean);
        if (asked.some((s) => !isScope(s) || !scopes.includes(s)))
          throw new OAuthError('invalid_scope', 'The requested scope exceeds the original grant.');
        scopes = parseScopes(input.scope);
      }
      const successor = `mgr_${hmac(deps.secret, input.refreshToken)}`;

      let rotatedAt = row.rotated_at;
      if (!rotatedAt) {
        const won = await db.transaction(async (tx) => {
          const upd = await tx.query(
            'UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1 AND rotated_at IS NULL',
            [row.token_hash, at()],
          );
          if (upd.rowCount === 0) return false;
          await insertRefresh(tx, successor, row.family_id, row.client_id, row.family_scopes);
          return true;
        });
        if (!won) {
          // Lost a race with a concurrent refresh of the same token: treat it as a retry.
          rotatedAt =
            (
              await db.query<{ rotated_at: Date }>('SELECT rotated_at FROM refresh_tokens WHERE token_hash = $1', [
                row.token_hash,
              ])
            ).rows[0]?.rotated_at ?? at();
        } else {
          deps.emit({ type: 'token.rotated', userId: row.user_id, clientId: row.client_id, familyId: row.family_id });
          await audit(db, 'token.rotated', {
            userId: row.user_id,
            clientId: row.client_id,
            ip: input.ip,
            details: { family: row.family_id },
          });
        }
      }
      if (rotatedAt) {
        const successorAlive = (
          await db.query<{ rotated_at: Date | null }>('SELECT rotated_at FROM refresh_tokens WHERE token_hash = $1', [
            hashSecret(successor),
          ])
        ).rows[0];
        const inGrace = now - rotatedAt.getTime() <= lifetimes.graceSeconds * 1000;
        if (!inGrace || !successorAlive || successorAlive.rotated_at) {
          // Reuse of a rotated token: someone else may hold a copy. End the whole family (B22).
          await revokeFamilies('id = $1', [row.family_id], 'refresh_reuse');
          await audit(db, 'token.refresh_reuse', {
            userId: row.user_id,
            clientId: row.client_id,
            ip: input.ip,
            details: { family: row.family_id },
          });
          throw new OAuthError(
            'invalid_grant',
            'This refresh token was already used; the sign-in is revoked for safety.',
          );
        }
      }
      const access = await accessToken(row.user_id, row.client_id, scopes, row.family_id);
      return {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.expiresIn,
        refresh_token: successor,
        scope: scopes.join(' '),
      };
    },

    /** RFC 7009: revoking a refresh token ends its family. Unknown tokens are not an error. */
    async revokeRefreshToken(token: string, clientId: string, ip?: string): Promise<void> {
      const row = (
        await db.query<{ family_id: string; client_id: string; user_id: string }>(
          'SELECT r.family_id, r.client_id, f.user_id FROM refresh_tokens r ' +
            'JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = $1',
          [hashSecret(token)],
        )
      ).rows[0];
      if (!row || row.client_id !== clientId) return;
      if (await revokeFamilies('id = $1', [row.family_id], 'revoked')) {
        await audit(db, 'token.revoked', { userId: row.user_id, clientId, ip, details: { family: row.family_id } });
      }
    },

    async revokeFamily(familyId: string, reason: string): Promise<void> {
      await revokeFamilies('id = $1', [familyId], reason);
    },

    /** A replayed authorization code revokes what was issued from it (RFC 6749 §4.1.2). */
    async revokeByCode(codeHash: string): Promise<void> {
      await revokeFamilies('code_hash = $1', [codeHash], 'code_reuse');
    },

    /** Logout everywhere, password change, account deletion: every family of the user. */
    async revokeUser(userId: string, reason: string): Promise<number> {
      return revokeFamilies('user_id = $1', [userId], reason);
    },
  };
}

export type GrantService = ReturnType<typeof createGrantService>;
