import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { isDomainError, manualClock } from '@media-gateway/domain';
import { freshDb, redisUrl, runSessionStoreContract, testBackends } from '@media-gateway/testkit';
import { createRedisSessionService } from '../src/redis-session-store.ts';
import { hashSecret } from '../src/secrets.ts';
import { createSessionService, SESSION_TTL_SECONDS } from '../src/session-service.ts';
import { testLink } from './redis-test-link.ts';

/** Web sessions: the database store (PGlite, PostgreSQL) and the Redis store against one contract. */
const redis = redisUrl();
const userId = () => `usr_${randomBytes(9).toString('base64url')}`;

for (const backend of testBackends()) {
  runSessionStoreContract(
    `database (${backend})`,
    async (clock) => {
      const db = await freshDb(backend);
      return {
        sessions: createSessionService(db, clock),
        async newUser() {
          const id = userId();
          await db.query('INSERT INTO users (id) VALUES ($1)', [id]);
          return id;
        },
        close: () => db.close(),
      };
    },
    SESSION_TTL_SECONDS,
  );
}

describe('session store contract on Redis', { skip: redis.skip }, () => {
  runSessionStoreContract(
    'Redis',
    async (clock) => {
      const t = await testLink(redis.url!);
      return {
        sessions: createRedisSessionService(t.link, clock),
        newUser: async () => userId(),
        close: () => t.drop(),
      };
    },
    SESSION_TTL_SECONDS,
  );
});

describe('database session store, beyond the contract', () => {
  test('says where it keeps sessions, stores only the id’s hash, refuses sessions of a deleted account', async () => {
    const db = await freshDb('pglite');
    try {
      const sessions = createSessionService(db, manualClock('2030-01-01T00:00:00Z'));
      assert.equal(sessions.store, 'database');
      await db.query("INSERT INTO users (id) VALUES ('usr_gone')");
      const { id } = await sessions.create('usr_gone');
      assert.ok(await sessions.get(id));
      const stored = await db.query<{ id_hash: string }>('SELECT id_hash FROM web_sessions');
      assert.deepEqual(
        stored.rows.map((r) => r.id_hash),
        [hashSecret(id)],
      );
      await db.query("UPDATE users SET deleted_at = now() WHERE id = 'usr_gone'");
      assert.equal(await sessions.get(id), undefined);
    } finally {
      await db.close();
    }
  });
});

describe('Redis session store, beyond the contract', { skip: redis.skip }, () => {
  test('says where it keeps sessions and stores only the hash of the id, with a Redis TTL', async () => {
    const t = await testLink(redis.url!);
    try {
      const sessions = createRedisSessionService(t.link, manualClock('2030-01-01T00:00:00Z'));
      assert.equal(sessions.store, 'redis');
      const { id, session } = await sessions.create('usr_x', 'agent');
      const keys = await t.keys();
      assert.ok(keys.includes(`${t.ns}sess:${hashSecret(id)}`));
      for (const key of keys) {
        assert.ok(!key.includes(id), 'no key carries the raw id');
        const ttl = await t.link.commands.pttl(key);
        assert.ok(ttl > 0 && ttl <= SESSION_TTL_SECONDS * 1000, `${key} expires in Redis too`);
      }
      const values = JSON.stringify(await t.link.commands.hgetall(`${t.ns}sess:${hashSecret(id)}`));
      assert.ok(!values.includes(id));
      assert.ok(values.includes(session.csrfToken));
    } finally {
      await t.drop();
    }
  });

  test('when Redis is gone, every operation fails as UPSTREAM_UNAVAILABLE (never as "no session")', async () => {
    const t = await testLink(redis.url!);
    const sessions = createRedisSessionService(t.link, manualClock('2030-01-01T00:00:00Z'));
    const { id } = await sessions.create('usr_y');
    await t.drop();
    const unavailable = (e: unknown) => isDomainError(e) && e.code === 'UPSTREAM_UNAVAILABLE';
    await assert.rejects(sessions.get(id), unavailable);
    await assert.rejects(sessions.create('usr_y'), unavailable);
    await assert.rejects(sessions.revoke(id), unavailable);
    await assert.rejects(sessions.revokeAll('usr_y'), unavailable);
  });
});
