import { DomainError } from '@media-gateway/domain';
import type { Clock } from './clock.ts';
import type { RedisLink } from './redis-link.ts';
import { hashSecret, randomToken } from './secrets.ts';
import { SESSION_TTL_SECONDS, type SessionService, type WebSession } from './session-service.ts';

/**
 * Web sessions in Redis (REDIS_URL set; decision 0034). Same contract as the database store:
 * the cookie holds a random id and Redis only its SHA-256, so a leaked Redis dump cannot be
 * replayed as cookies.
 *
 *   <ns>sess:<hash>        hash {u: user id, c: CSRF token, e: expiry ms, a: user agent}
 *   <ns>user-sess:<user>   set of the person's session hashes, for "sign out everywhere"
 *
 * Expiry is checked against the auth clock (tests move it) and also set as a Redis TTL so ended
 * sessions do not pile up.
 */
/** Deletes every session in the person's set (keys that already expired count as nothing). */
const REVOKE_ALL = `
local n = 0
for _, h in ipairs(redis.call('SMEMBERS', KEYS[1])) do n = n + redis.call('DEL', ARGV[1] .. h) end
redis.call('DEL', KEYS[1])
return n`;

export function createRedisSessionService(link: RedisLink, clock: Clock): SessionService {
  const redis = link.commands;
  const sessionKey = (hash: string) => `${link.ns}sess:${hash}`;
  const userKey = (userId: string) => `${link.ns}user-sess:${userId}`;

  async function guarded<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        'The session store (Redis) is unavailable; try again shortly.',
        { store: 'redis' },
        error,
      );
    }
  }

  return {
    store: 'redis',

    create: (userId, userAgent) =>
      guarded(async () => {
        const id = randomToken(32);
        const hash = hashSecret(id);
        const csrfToken = randomToken(24);
        const expiresAt = new Date(clock.now() + SESSION_TTL_SECONDS * 1000);
        // Real-time TTL (not the auth clock) so Redis can drop the key; the clock decides validity.
        const ttlMs = SESSION_TTL_SECONDS * 1000;
        await redis
          .multi()
          .hset(sessionKey(hash), {
            u: userId,
            c: csrfToken,
            e: String(expiresAt.getTime()),
            a: userAgent?.slice(0, 300) ?? '',
          })
          .pexpire(sessionKey(hash), ttlMs)
          .sadd(userKey(userId), hash)
          // The newest session lives longest, so the set lives as long as it.
          .pexpire(userKey(userId), ttlMs)
          .exec();
        return { id, session: { userId, csrfToken, expiresAt } };
      }),

    get: (id) =>
      guarded(async (): Promise<WebSession | undefined> => {
        if (!id || id.length > 100) return undefined;
        const row = await redis.hgetall(sessionKey(hashSecret(id)));
        if (!row['u'] || !row['c'] || !row['e']) return undefined;
        const expiresAt = new Date(Number(row['e']));
        if (!(expiresAt.getTime() > clock.now())) return undefined;
        return { userId: row['u'], csrfToken: row['c'], expiresAt };
      }),

    revoke: (id) =>
      guarded(async () => {
        const hash = hashSecret(id);
        const userId = await redis.hget(sessionKey(hash), 'u');
        const tx = redis.multi().del(sessionKey(hash));
        if (userId) tx.srem(userKey(userId), hash);
        await tx.exec();
      }),

    revokeAll: (userId) =>
      guarded(async () => {
        // One script, so a session created while signing out everywhere cannot slip between read and delete.
        return Number(await redis.eval(REVOKE_ALL, 1, userKey(userId), `${link.ns}sess:`));
      }),
  };
}
