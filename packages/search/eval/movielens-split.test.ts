import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SPLIT_SEED, seededRandom, splitTagQueries } from './movielens.ts';

// Stand-ins for tag queries in tagQueries' order (most relevant titles first).
const tags = Array.from({ length: 105 }, (_, i) => `q${i}`);

test('eval:search split: the same seed gives the same split; tuning and held out partition the queries', () => {
  const a = splitTagQueries(tags, { seed: 7, tuning: 60 });
  const b = splitTagQueries(tags, { seed: 7, tuning: 60 });
  assert.deepEqual(a, b);
  assert.equal(a.tuning.length, 60);
  assert.equal(a.heldout.length, 45);
  assert.deepEqual([...a.tuning, ...a.heldout].sort(), [...tags].sort());
  assert.equal(new Set([...a.tuning, ...a.heldout]).size, 105);
});

test('eval:search split: random, not the last queries of the fixed order; another seed, another split', () => {
  const { heldout, seed } = splitTagQueries(tags);
  assert.equal(seed, DEFAULT_SPLIT_SEED);
  assert.notDeepEqual(heldout, tags.slice(60));
  // Held-out queries come from the whole list, not one end of it.
  assert.ok(heldout.some((q) => Number(q.slice(1)) < 30));
  assert.ok(heldout.some((q) => Number(q.slice(1)) >= 75));
  assert.notDeepEqual(splitTagQueries(tags, { seed: 1 }).heldout, splitTagQueries(tags, { seed: 2 }).heldout);
});

test('eval:search split: --max-tags cuts the shuffled list, tuning capped by what is left', () => {
  const s = splitTagQueries(tags, { seed: 3, tuning: 18, maxQueries: 30 });
  assert.equal(s.tuning.length, 18);
  assert.equal(s.heldout.length, 12);
  const small = splitTagQueries(tags.slice(0, 10), { tuning: 60 });
  assert.equal(small.tuning.length, 10);
  assert.equal(small.heldout.length, 0);
});

test('seededRandom is deterministic and in [0, 1)', () => {
  const r1 = seededRandom(42);
  const r2 = seededRandom(42);
  for (let i = 0; i < 1000; i++) {
    const x = r1();
    assert.equal(x, r2());
    assert.ok(x >= 0 && x < 1);
  }
});
