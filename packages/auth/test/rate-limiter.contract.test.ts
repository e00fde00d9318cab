import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manualClock } from '@media-gateway/domain';
import { redisUrl, runRateLimiterContract } from '@media-gateway/testkit';
import { AttemptLimiter, RedisAttemptLimiter } from '../src/attempt-limiter.ts';
import { testLink } from './redis-test-link.ts';

/** Attempt limiters (sign-in, token, user code, registration): in memory and in Redis, one contract. */
const redis = redisUrl();

runRateLimiterContract('in memory', async ({ limit, windowSeconds, clock }) => ({
  limiter: new AttemptLimiter(clock, limit, windowSeconds),
  close: async () => {},
}));

describe('rate limiter contract on Redis', { skip: redis.skip }, () => {
  runRateLimiterContract('Redis', async ({ limit, windowSeconds, clock }) => {
    const t = await testLink(redis.url!);
    return { limiter: new RedisAttemptLimiter(t.link, 'contract', clock, limit, windowSeconds), close: () => t.drop() };
  });
});

describe('in-memory limiter, beyond the contract', () => {
  test('is per process, and a refused attempt counts nothing past the key over budget', async () => {
    const l = new AttemptLimiter(manualClock('2030-01-01T00:00:00Z'), 2, 60);
    assert.equal(l.shared, false);
    await l.hit(['ip:1']);
    await l.hit(['ip:1']);
    assert.ok((await l.hit(['ip:1', 'email:victim'])) > 0);
    assert.ok((await l.hit(['ip:1', 'email:victim'])) > 0);
    assert.ok((await l.hit(['ip:1', 'email:victim'])) > 0);
    assert.deepEqual(
      [await l.hit(['email:victim']), await l.hit(['email:victim'])],
      [0, 0],
      'the email budget is untouched',
    );
  });

  test('memory stays bounded: expired windows are swept', async () => {
    const clock = manualClock('2030-01-01T00:00:00Z');
    const l = new AttemptLimiter(clock, 5, 60);
    for (let i = 0; i < 1000; i++) await l.hit([`ip:${i}`]);
    assert.equal(l.size, 1000);
    clock.advance(60_000);
    await l.hit(['ip:new']);
    assert.equal(l.size, 1);
  });
});

describe('Redis limiter, beyond the contract', { skip: redis.skip }, () => {
  test('replicas spend one budget', async () => {
    const a = await testLink(redis.url!);
    const b = await testLink(redis.url!, a.ns);
    try {
      const clock = manualClock('2030-01-01T00:00:05Z');
      const onA = new RedisAttemptLimiter(a.link, 'login', clock, 4, 60);
      const onB = new RedisAttemptLimiter(b.link, 'login', clock, 4, 60);
      assert.equal(onA.shared, true);
      const verdicts = [];
      for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 ? onB : onA).hit(['ip:203.0.113.7']));
      assert.deepEqual(
        verdicts.map((v) => v > 0),
        [false, false, false, false, true, true],
      );
      // Another limiter name on the same link is another budget (login vs token).
      assert.equal(await new RedisAttemptLimiter(a.link, 'token', clock, 4, 60).hit(['ip:203.0.113.7']), 0);
    } finally {
      await b.link.close();
      await a.drop();
    }
  });

  test('keys hold only a hash of what was submitted, and expire in Redis', async () => {
    const t = await testLink(redis.url!);
    try {
      const l = new RedisAttemptLimiter(t.link, 'login', manualClock('2030-01-01T00:00:05Z'), 4, 60);
      await l.hit(['email:someone@example.org', 'ip:198.51.100.4']);
      const keys = await t.keys();
      assert.equal(keys.length, 2);
      for (const key of keys) {
        assert.ok(!key.includes('example.org') && !key.includes('198.51.100.4'), key);
        const ttl = await t.link.commands.pttl(key);
        assert.ok(ttl > 0 && ttl <= 120_000, `${key} expires (${ttl} ms)`);
      }
    } finally {
      await t.drop();
    }
  });

  test('when Redis fails, attempts are still counted, by this process', async () => {
    const t = await testLink(redis.url!);
    const errors: Error[] = [];
    const l = new RedisAttemptLimiter(t.link, 'login', manualClock('2030-01-01T00:00:05Z'), 2, 60, (e) =>
      errors.push(e),
    );
    await t.drop();
    const verdicts = [await l.hit(['ip:1']), await l.hit(['ip:1']), await l.hit(['ip:1'])];
    assert.deepEqual(
      verdicts.map((v) => v > 0),
      [false, false, true],
      'limits degrade to per-replica, not to none',
    );
    assert.ok(errors.length >= 3, 'each failure was reported');
  });
});
