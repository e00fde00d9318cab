import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { testBackends } from '@media-gateway/testkit';
import { CollabIndex } from '../src/collab-index.ts';
import { trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { loadLatestModel, trainAndStore } from '../src/model-store.ts';
import { DEFAULT_WEIGHTS, rank } from '../src/ranker.ts';
import { RecommenderService } from '../src/recommender-service.ts';
import { trainTransitions } from '../src/transitions.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { lookupOf, sampleCatalogDb } from './test-items.ts';

/** B[a][b] of a model in EASE's sparse layout, or 0. */
function weight(model: ReturnType<typeof trainTransitions>, a: string, b: string): number {
  const row = model.items.indexOf(a);
  const col = model.items.indexOf(b);
  for (let p = model.ptr[row]!; p < model.ptr[row + 1]!; p++) if (model.idx[p] === col) return model.val[p]!;
  return 0;
}

test('transitions follow order: what came after a title, nearer steps counting more, never what came before', () => {
  const model = trainTransitions(
    [
      ['x', 'y', 'z'],
      ['x', 'y', 'w'],
      ['x', 'z', 'y'],
    ],
    { minCount: 1, smoothing: 0 },
  );
  assert.ok(weight(model, 'x', 'y') > weight(model, 'x', 'z'), 'y came right after x twice, z once');
  assert.ok(weight(model, 'x', 'z') > 0);
  assert.equal(weight(model, 'y', 'x'), 0, 'nothing points back in time');
  // x→y: 1 + 1 + 1/2 over three people who had x.
  assert.ok(Math.abs(weight(model, 'x', 'y') - 2.5 / 3) < 1e-6, String(weight(model, 'x', 'y')));
});

test('the ranker asks what comes after the newest title: "y" (after x) beats "z" (before x, co-watched more)', () => {
  // Five people went z → x, four went x → y: as sets, x sits closer to z; in order, y comes next.
  const histories = [
    ...Array.from({ length: 5 }, () => ['z', 'x']),
    ...Array.from({ length: 4 }, () => ['x', 'y']),
    ['filler-1', 'filler-2'],
    ['filler-2', 'filler-3'],
  ];
  const items = new ItemTable(
    ['x', 'y', 'z', 'filler-1', 'filler-2', 'filler-3'].map((id) => ({
      id,
      title: id,
      kind: 'movie' as const,
      year: 2000,
      genres: ['drama'],
      popularity: 1,
    })),
  );
  const interactions = histories.flatMap((h, u) => h.map((item) => ({ user: `u${u}`, item, weight: 1 })));
  const collab = new CollabIndex(trainEase(interactions, { minCount: 1, lambda: 1, topK: 0 }), items);
  const sequence = new CollabIndex(trainTransitions(histories, { minCount: 1 }), items);
  const person = new UserAdapter('p');
  person.update({ type: 'like', titleId: 'x', at: Date.UTC(2025, 0, 1) }, lookupOf(items));
  const first = (weights = DEFAULT_WEIGHTS) =>
    items.ids[
      rank({ items, collab, sequence, adapter: person, now: Date.UTC(2025, 0, 2), limit: 3, weights })[0]!.index
    ];
  assert.equal(first({ ...DEFAULT_WEIGHTS, sequence: 0 }), 'z', 'co-watching alone');
  assert.equal(first(), 'y', 'with what people watched next');
});

for (const backend of testBackends()) {
  describe(`transitions trained from stored events on ${backend}`, () => {
    let db: Db;
    let titles: string[];
    before(async () => {
      ({ db, titles } = await sampleCatalogDb(backend));
    });
    after(async () => db.close());

    test('the retrain reads events in time order (not insert order) and stores the rows beside EASE', async () => {
      const [a, b, disliked] = titles as [string, string, string];
      const T0 = Date.UTC(2025, 5, 1);
      for (const user of ['s1', 's2', 's3']) {
        // Inserted newest first: the order must come from occurred_at.
        const events = [
          { id: `${user}-3`, type: 'dislike', title: disliked, at: T0 + 120_000 },
          { id: `${user}-2`, type: 'like', title: b, at: T0 + 60_000 },
          { id: `${user}-1`, type: 'like', title: a, at: T0 },
        ];
        for (const e of events)
          await db.query(
            'INSERT INTO rec_events (user_id, client_event_id, type, title_id, occurred_at) ' +
              'VALUES ($1, $2, $3, $4, $5)',
            [user, e.id, e.type, e.title, new Date(e.at)],
          );
      }
      await trainAndStore(db);
      const stored = await loadLatestModel(db);
      assert.ok(stored?.transitions, 'transitions stored with the model');
      assert.ok(weight(stored.transitions, a, b) > 0, 'b came after a');
      assert.equal(weight(stored.transitions, b, a), 0, 'a never came after b');
      assert.ok(!stored.transitions.items.includes(disliked), 'a dislike is not something people went on to watch');

      // The service ranks with the stored rows: co-watching is symmetric, what came next is not.
      const recommender = new RecommenderService(db);
      const audience = { region: 'US', services: [] };
      await recommender.recordEvents('likes-a', audience, [
        { id: 'e1', type: 'like', titleId: a, at: '2025-06-02T10:00:00Z' },
      ]);
      await recommender.recordEvents('likes-b', audience, [
        { id: 'e1', type: 'like', titleId: b, at: '2025-06-02T10:00:00Z' },
      ]);
      const next = (await recommender.affinity('likes-a', [b])).get(b)!;
      const before = (await recommender.affinity('likes-b', [a])).get(a)!;
      assert.ok(next > before + 0.05, `b after a ${next} > a after b ${before}`);
    });
  });
}
