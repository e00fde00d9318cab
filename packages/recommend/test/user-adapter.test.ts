import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONTENT_DIM } from '../src/content-vectors.ts';
import { DEFAULT_ADAPTER_OPTIONS, UserAdapter } from '../src/user-adapter.ts';
import { genreCatalog, idsOf, lookupOf } from './test-items.ts';

const items = genreCatalog();
const lookup = lookupOf(items);

/** The adapter's own opinion of a genre: the correction's mean dot with that genre's titles. */
function correctionTowards(a: UserAdapter, genre: string): number {
  const p = new Float32Array(CONTENT_DIM);
  const u = new Float32Array(CONTENT_DIM);
  a.profile(lookup, 1e12, p);
  a.represent(p, u);
  const ids = idsOf(items, genre);
  let s = 0;
  for (const id of ids) {
    const off = lookup.offsetOf(id);
    for (let d = 0; d < CONTENT_DIM; d++) s += (u[d]! - p[d]!) * items.content[off + d]!;
  }
  return s / ids.length;
}

describe('user adapter', () => {
  test('an event changes the representation at once: likes raise a genre, dislikes lower it', () => {
    const a = new UserAdapter('u');
    const before = correctionTowards(a, 'western');
    for (const id of idsOf(items, 'western').slice(0, 3)) a.update({ type: 'like', titleId: id, at: 1 }, lookup);
    const liked = correctionTowards(a, 'western');
    assert.ok(liked > before, `${liked} > ${before}`);
    for (const id of idsOf(items, 'western').slice(3, 6)) a.update({ type: 'dislike', titleId: id, at: 2 }, lookup);
    assert.ok(correctionTowards(a, 'western') < liked);
  });

  test('[EWC] consolidation makes a burst cost more: long-term taste moves less than without it', () => {
    const drift = (ewcLambda: number) => {
      const a = new UserAdapter('same-user', { ...DEFAULT_ADAPTER_OPTIONS, ewcLambda });
      // Long-term taste: 60 comedy likes over time (five consolidations).
      for (const [k, id] of idsOf(items, 'comedy').entries())
        a.update({ type: 'like', titleId: id, at: k * 1000 }, lookup);
      for (const [k, id] of idsOf(items, 'comedy').entries())
        a.update({ type: 'complete', titleId: id, at: 40_000 + k * 1000 }, lookup);
      assert.ok(
        a.fisher.some((f) => f > 0),
        'consolidation filled the Fisher estimate',
      );
      const settled = correctionTowards(a, 'comedy');
      const theta = Float32Array.from(a.theta);
      // A burst: eight comedy dislikes in a row.
      for (const [k, id] of idsOf(items, 'comedy').slice(0, 8).entries())
        a.update({ type: 'dislike', titleId: id, at: 100_000 + k }, lookup);
      let moved = 0;
      for (let i = 0; i < theta.length; i++) moved += a.fisher[i]! * (a.theta[i]! - theta[i]!) ** 2;
      return { opinionDrop: settled - correctionTowards(a, 'comedy'), importantMove: moved };
    };
    const withEwc = drift(DEFAULT_ADAPTER_OPTIONS.ewcLambda);
    const without = drift(0);
    assert.ok(
      withEwc.importantMove < without.importantMove,
      `Fisher-weighted move ${withEwc.importantMove} < ${without.importantMove}`,
    );
    assert.ok(
      withEwc.opinionDrop < without.opinionDrop,
      `comedy opinion drop ${withEwc.opinionDrop} < ${without.opinionDrop}`,
    );
    assert.ok(withEwc.opinionDrop > 0, 'the burst still counts for something');
  });

  test('history keeps the newest MAX_HISTORY titles and remembers what not to recommend again', () => {
    const a = new UserAdapter('h');
    a.update({ type: 'view', titleId: 'comedy-1', at: 1 }, lookup);
    assert.equal(a.excluded('comedy-1'), false);
    a.update({ type: 'complete', titleId: 'comedy-1', at: 2 }, lookup);
    assert.equal(a.excluded('comedy-1'), true);
    a.update({ type: 'watchlist_add', titleId: 'horror-1', at: 3 }, lookup);
    a.update({ type: 'watchlist_remove', titleId: 'horror-1', at: 4 }, lookup);
    a.update({ type: 'watchlist_remove', titleId: 'horror-1', at: 5 }, lookup);
    assert.equal(a.history.has('horror-1'), false, 'an add then remove leaves no trace');
  });
  test('a long history of mixed ratings keeps the adapter finite (the EWC pull never overshoots)', () => {
    // Regression: with an explicit EWC step of lr·λ·F > 2, θ oscillated to ±Infinity/NaN after a
    // few hundred events and the person's ranking became noise.
    const a = new UserAdapter('long');
    const ids = items.ids;
    let at = 1e12;
    for (let n = 0; n < 1500; n++) {
      const titleId = ids[(n * 7) % ids.length]!;
      a.update({ type: 'complete', titleId, at }, lookup);
      a.update({ type: 'rating', titleId, value: 1 + ((n * 3) % 5), at }, lookup);
      at += 3_600_000;
    }
    assert.ok(a.theta.every(Number.isFinite), 'every adapter weight is finite');
    const p = new Float32Array(CONTENT_DIM);
    const u = new Float32Array(CONTENT_DIM);
    a.profile(lookup, at, p);
    a.represent(p, u, 1, 1);
    assert.ok(u.every(Number.isFinite));
  });
});
