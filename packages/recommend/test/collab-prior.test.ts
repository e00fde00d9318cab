import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollabIndex } from '../src/collab-index.ts';
import { trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { DEFAULT_WEIGHTS, rank } from '../src/ranker.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { lookupOf } from './test-items.ts';

const NOW = Date.UTC(2025, 0, 1);

/**
 * 40 people watched "hit"; six of them also watched "seed" and "niche" together, and a few watched one of
 * the fillers. Read from "seed" alone, EASE points at "niche"; what most people go on to watch is "hit".
 */
function world() {
  const interactions: Array<{ user: string; item: string; weight: number }> = [];
  for (let u = 0; u < 40; u++) {
    interactions.push({ user: `u${u}`, item: 'hit', weight: 1 });
    if (u < 6) for (const item of ['seed', 'niche']) interactions.push({ user: `u${u}`, item, weight: 1 });
    interactions.push({ user: `u${u}`, item: `filler-${u % 8}`, weight: 1 });
  }
  const counts = new Map<string, number>();
  for (const r of interactions) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
  const items = new ItemTable(
    [...counts.keys()].map((id) => ({
      id,
      title: id,
      kind: 'movie' as const,
      year: 2000,
      genres: ['drama'],
      popularity: Math.log1p(counts.get(id)!),
    })),
  );
  const collab = new CollabIndex(trainEase(interactions, { minCount: 1, lambda: 20, topK: 0 }), items);
  return { items, collab };
}

test('after one liked title, popularity counts beside its collaborative neighbours; collabPrior 0: off', () => {
  const { items, collab } = world();
  const person = new UserAdapter('p');
  person.update({ type: 'like', titleId: 'seed', at: NOW }, lookupOf(items));
  const top = (weights = DEFAULT_WEIGHTS) =>
    items.ids[rank({ items, collab, adapter: person, now: NOW, limit: 3, weights, exhaustive: true })[0]!.index];
  assert.equal(top({ ...DEFAULT_WEIGHTS, collabPrior: 0 }), 'niche', 'EASE alone follows the one title');
  assert.equal(top(), 'hit', 'with the collaborative prior, what most people watch next comes first');
});
