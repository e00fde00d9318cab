import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ManualClock, manualClock } from '@media-gateway/domain';
import type { ContractOptions } from './options.ts';

/** The `RateLimiter` shape from `@media-gateway/auth` (structural: testkit does not depend on auth). */
export interface ContractRateLimiter {
  readonly limit: number;
  readonly shared: boolean;
  hit(keys: readonly string[]): Promise<number>;
}

export interface RateLimiterFixture {
  limiter: ContractRateLimiter;
  close(): Promise<void>;
}

/** Builds one limiter with this budget per window, reading time from `clock`. */
export type MakeLimiter = (input: {
  limit: number;
  windowSeconds: number;
  clock: ManualClock;
}) => Promise<RateLimiterFixture>;

/**
 * The attempt-limiter contract (`RateLimiter` in `@media-gateway/auth`, decision 0033): in memory
 * (`AttemptLimiter`) and in Redis (`RedisAttemptLimiter`). Time comes from a manual clock, never sleeps.
 *
 * Checked: `limit` attempts per key per window are let through (0), the next is refused with a wait
 * in [1, window] seconds and stays refused; waiting that long lets it through again, waiting one
 * second less does not; a whole window later the budget is back; keys are independent; an attempt
 * counted against several keys is refused when any of them is over budget, and rotating the other
 * key (a new session, another email) does not reset the first (the IP's) budget.
 *
 * Not common, hence tested beside each implementation: Redis shares one budget between replicas
 * and falls back to counting in the process when Redis fails. Both stop counting at the first key
 * over budget, so an address that is already refused cannot spend a victim's per-email budget.
 * The gateway's per-request API limit (apps/gateway/src/api-rate-limit.ts) is @fastify/rate-limit,
 * not this interface, and is tested through the gateway.
 */
export function runRateLimiterContract(name: string, makeLimiter: MakeLimiter, options: ContractOptions = {}): void {
  // Mid-window on purpose: windows aligned to the clock (Redis) and windows opened by the first hit (memory) differ.
  const START = Date.UTC(2030, 0, 1, 12, 0, 17, 250);
  const it = (
    title: string,
    setup: { limit: number; windowSeconds: number },
    fn: (l: ContractRateLimiter, clock: ManualClock) => Promise<void>,
  ) =>
    test(title, { todo: options.todo?.[title] }, async () => {
      const clock = manualClock(START);
      const { limiter, close } = await makeLimiter({ ...setup, clock });
      try {
        await fn(limiter, clock);
      } finally {
        await close();
      }
    });
  const hits = async (l: ContractRateLimiter, keys: readonly string[], n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await l.hit(keys));
    return out;
  };

  describe(`RateLimiter contract: ${name}`, () => {
    it('exposes its budget', { limit: 7, windowSeconds: 60 }, async (l) => {
      assert.equal(l.limit, 7);
      assert.equal(typeof l.shared, 'boolean');
    });

    it('lets `limit` attempts through, then refuses with a wait within the window', {
      limit: 3,
      windowSeconds: 60,
    }, async (l) => {
      assert.deepEqual(await hits(l, ['ip:192.0.2.1'], 3), [0, 0, 0]);
      const wait = await l.hit(['ip:192.0.2.1']);
      assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `wait ${wait} s is in [1, 60]`);
      const again = await l.hit(['ip:192.0.2.1']);
      assert.ok(again >= 1 && again <= wait, 'still refused, and the wait does not grow');
    });

    it('the announced wait is exact to the second', { limit: 2, windowSeconds: 60 }, async (l, clock) => {
      await hits(l, ['k'], 2);
      clock.advance(5_000);
      const wait = await l.hit(['k']);
      assert.ok(wait >= 1);
      if (wait > 1) {
        clock.advance((wait - 1) * 1000);
        assert.ok((await l.hit(['k'])) >= 1, 'one second before the announced time it is still refused');
        clock.advance(1000);
      } else {
        clock.advance(wait * 1000);
      }
      assert.equal(await l.hit(['k']), 0, 'at the announced time the budget is back');
    });

    it('a window later the whole budget is back', { limit: 3, windowSeconds: 10 }, async (l, clock) => {
      await hits(l, ['user@example.org'], 5);
      clock.advance(10_000);
      assert.deepEqual(await hits(l, ['user@example.org'], 3), [0, 0, 0]);
      assert.ok((await l.hit(['user@example.org'])) > 0);
    });

    it('keys are independent', { limit: 2, windowSeconds: 60 }, async (l) => {
      await hits(l, ['ip:a'], 3);
      assert.ok((await l.hit(['ip:a'])) > 0);
      assert.deepEqual(await hits(l, ['ip:b'], 2), [0, 0], 'another key has its own budget');
      assert.ok((await l.hit(['ip:b'])) > 0);
      // Keys are compared whole: a prefix or a different case is another key.
      assert.equal(await l.hit(['ip:']), 0);
      assert.equal(await l.hit(['IP:a']), 0);
    });

    it('an attempt is refused when any of its keys is over budget', { limit: 2, windowSeconds: 60 }, async (l) => {
      await hits(l, ['ip:1'], 2);
      assert.ok((await l.hit(['email:x', 'ip:1'])) > 0, 'the IP is over budget');
      assert.equal(await l.hit(['email:y']), 0, 'an email alone is fine');
    });

    it('a refused attempt counts nothing past the key over budget (a refused address cannot spend a victim’s budget)', {
      limit: 2,
      windowSeconds: 60,
    }, async (l) => {
      await hits(l, ['ip:1'], 2);
      for (let i = 0; i < 3; i++) assert.ok((await l.hit(['ip:1', 'email:victim'])) > 0);
      assert.deepEqual(await hits(l, ['email:victim'], 2), [0, 0], 'the email budget is untouched');
    });

    it('rotating the second key does not reset the first', { limit: 3, windowSeconds: 60 }, async (l) => {
      const verdicts = [];
      for (let s = 0; s < 5; s++) verdicts.push(await l.hit(['ip:9', `session:${s}`]));
      assert.deepEqual(
        verdicts.map((v) => v > 0),
        [false, false, false, true, true],
      );
    });
  });
}
