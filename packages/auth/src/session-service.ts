import type { Db } from '@media-gateway/db';
import type { Clock } from './clock.ts';
import { hashSecret, randomToken } from './secrets.ts';

/** Browser sessions last 7 days; the cookie holds a random id, the database only its hash. */
export const SESSION_TTL_SECONDS = 7 * 86400;

export interface WebSession {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Web sessions. Two stores behave the same: the database (default) and Redis when REDIS_URL is set
 * (`redis-session-store.ts`, decision 0034). Revoking ends a session at once on every replica
 * because both stores are shared.
 */
export interface SessionService {
  readonly store: 'database' | 'redis';
  create(userId: string, userAgent?: string): Promise<{ id: string; session: WebSession }>;
  get(id: string | undefined): Promise<WebSession | undefined>;
  revoke(id: string): Promise<void>;
  /** Sign out everywhere: every session of the person; returns how many ended. */
  revokeAll(userId: string): Promise<number>;
}

export function createSessionService(db: Db, clock: Clock): SessionService {
  return {
    store: 'database',
    async create(userId: string, userAgent?: string): Promise<{ id: string; session: WebSession }> {
      const id = randomToken(32);
      const csrfToken = randomToken(24);
      const expiresAt = new Date(clock.now() + SESSION_TTL_SECONDS * 1000);
      await db.query(
        'INSERT INTO web_sessions (id_hash, user_id, csrf_token, user_agent, created_at, expires_at) ' +
          'VALUES ($1, $2, $3, $4, $5, $6)',
        [hashSecret(id), userId, csrfToken, userAgent?.slice(0, 300) ?? null, new Date(clock.now()), expiresAt],
      );
      return { id, session: { userId, csrfToken, expiresAt } };
    },

    async get(id: string | undefined): Promise<WebSession | undefined> {
      if (!id || id.length > 100) return undefined;
      const row = (
        await db.query<{ user_id: string; csrf_token: string; expires_at: Date }>(
          `SELECT s.user_id, s.csrf_token, s.expires_at FROM web_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND u.deleted_at IS NULL`,
          [hashSecret(id)],
        )
      ).rows[0];
      if (!row || row.expires_at.getTime() <= clock.now()) return undefined;
      return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },

    async revoke(id: string): Promise<void> {
      await db.query('UPDATE web_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [
        hashSecret(id),
        new Date(clock.now()),
      ]);
    },

    async revokeAll(userId: string): Promise<number> {
      const r = await db.query('UPDATE web_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [
        userId,
        new Date(clock.now()),
      ]);
      return r.rowCount;
    },
  };
}
