import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { testBackends } from '@media-gateway/testkit';
import { sampleCatalogDb } from './test-items.ts';
import { RecommenderService } from '../src/recommender-service.ts';

for (const backend of testBackends()) {
  describe(`search affinity on ${backend}`, () => {
    let db: Db;
    let titles: string[];
    before(async () => {
      ({ db, titles } = await sampleCatalogDb(backend));
    });
    after(async () => db.close());

    test(
      'is taste only: a title people watch with yours outranks ' +
        'the most popular one (search has popularity already)',
      async () => {
        // The sample carries no popularity; give one title a lot of it (as a source's vote counts would).
        const [popular, liked, together] = titles as [string, string, string];
        await db.query('UPDATE titles SET popularity = CASE WHEN id = $1 THEN 10 ELSE 1 END', [popular]);
        const recommender = new RecommenderService(db);
        const audience = { region: 'US', services: [] };
        for (const user of ['o1', 'o2', 'o3'])
          await recommender.recordEvents(user, audience, [
            { id: `${user}-a`, type: 'like', titleId: liked, at: '2025-06-01T10:00:00Z' },
            { id: `${user}-b`, type: 'like', titleId: together, at: '2025-06-01T11:00:00Z' },
          ]);
        await recommender.retrain();
        await recommender.recordEvents('p', audience, [
          { id: 'p-a', type: 'like', titleId: liked, at: '2025-06-02T10:00:00Z' },
        ]);
        const affinity = await recommender.affinity('p', [popular, together]);
        assert.ok(
          affinity.get(together)! > affinity.get(popular)!,
          `together ${affinity.get(together)} > popular ${affinity.get(popular)}`,
        );
        assert.equal((await recommender.affinity('stranger', [popular, together])).size, 0, 'no history, no taste');
      },
    );
  });
}
