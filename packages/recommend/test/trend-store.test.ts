import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { testBackends } from '@media-gateway/testkit';
import { sampleCatalogDb } from './test-items.ts';
import { TREND_HALF_LIFE_MS, TREND_MIN_SCORE, TrendStore } from '../src/trend-store.ts';

for (const backend of testBackends()) {
  describe(`trend store (SQL) on ${backend}`, () => {
    let db: Db;
    let titles: string[];
    before(async () => {
      ({ db, titles } = await sampleCatalogDb(backend));
    });
    after(async () => db.close());
    const T0 = Date.UTC(2025, 5, 1);

    test('increments from two replicas at once both count (atomic decay-and-add in SQL)', async () => {
      const [a, b] = [new TrendStore(), new TrendStore()];
      const one = (store: TrendStore, k: number) =>
        store.record(db, [{ region: 'US', platform: 'netflix', titleId: titles[0]!, weight: 1, at: T0 + k }]);
      await Promise.all(Array.from({ length: 10 }, (_, k) => one(k % 2 ? a : b, k)));
      const s = await new TrendStore().scores(db, 'US', ['netflix'], T0 + 10);
      assert.ok(Math.abs(s.get(titles[0]!)!.score - 10) < 1e-3, `score ${s.get(titles[0]!)?.score}`);
    });

    test('scores decay with the half-life; below the threshold nothing trends; the best platform wins', async () => {
      const store = new TrendStore();
      await store.record(db, [
        { region: 'US', platform: 'hulu', titleId: titles[1]!, weight: 4, at: T0 },
        { region: 'US', platform: 'hulu', titleId: titles[1]!, weight: 4, at: T0 }, // folded into one row
        { region: 'US', platform: 'netflix', titleId: titles[1]!, weight: 3, at: T0 },
        { region: 'US', platform: 'hulu', titleId: titles[2]!, weight: TREND_MIN_SCORE - 0.5, at: T0 },
      ]);
      const now = await store.scores(db, 'US', ['hulu', 'netflix'], T0);
      assert.deepEqual(now.get(titles[1]!), { score: 8, platform: 'hulu' });
      assert.equal(now.has(titles[2]!), false, 'one person is not a trend');
      const later = await store.scores(db, 'US', ['hulu', 'netflix'], T0 + TREND_HALF_LIFE_MS);
      assert.ok(Math.abs(later.get(titles[1]!)!.score - 4) < 1e-6);
      assert.equal((await store.scores(db, 'DE', ['hulu'], T0)).size, 0, 'regions are separate');
      assert.ok((await TrendStore.prune(db, T0 + 30 * TREND_HALF_LIFE_MS)) >= 3, 'decayed rows are pruned');
    });

    test('events dated decades apart neither fail nor trend (PostgreSQL power() underflow, once a 500)', async () => {
      const store = new TrendStore();
      const longAgo = Date.UTC(1996, 0, 1);
      await store.record(db, [{ region: 'FR', platform: 'netflix', titleId: titles[0]!, weight: 5, at: longAgo }]);
      await store.record(db, [{ region: 'FR', platform: 'netflix', titleId: titles[0]!, weight: 5, at: T0 }]);
      await store.record(db, [{ region: 'FR', platform: 'netflix', titleId: titles[0]!, weight: 5, at: longAgo }]);
      const now = await new TrendStore().scores(db, 'FR', ['netflix'], T0);
      assert.ok(Math.abs(now.get(titles[0]!)!.score - 5) < 1e-6, 'the 1996 interest adds nothing');
      const decadesLater = await new TrendStore().scores(db, 'FR', ['netflix'], Date.UTC(2060, 0, 1));
      assert.equal(decadesLater.size, 0);
    });
  });
}
