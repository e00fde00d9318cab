import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VectorIndex } from '../src/index/vector-index.ts';
import { titleId } from './catalog-entries.ts';

/** A deterministic pseudo-random vector (mulberry32), not unit length. */
function vectorFor(seed: number, dims: number): Float32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5;
  };
  return Float32Array.from({ length: dims }, () => next() * 3);
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
};

const unit = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('vector index: exact search among a few titles', () => {
  const dims = 16;
  const ids = Array.from({ length: 500 }, (_, i) => titleId(i));
  const raw = ids.map((_, i) => vectorFor(i + 1, dims));

  it('returns the k most similar of the given titles by cosine, best first, whatever length the embedder gave', () => {
    const index = new VectorIndex(dims, 'test');
    index.upsert(ids, raw);
    const q = unit(vectorFor(9999, dims));
    const among = ids.filter((_, i) => i % 3 === 0);
    const expected = among
      .map((id) => ({ id, similarity: cosine(q, raw[ids.indexOf(id)]!) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 25);
    const got = index.nearestAmong(q, among, 25);
    assert.deepEqual(
      got.map((h) => h.id),
      expected.map((h) => h.id),
    );
    for (const [i, h] of got.entries()) assert.ok(Math.abs(h.similarity - expected[i]!.similarity) < 1e-5, h.id);
    // Only titles that were asked about come back.
    const asked = new Set(among);
    assert.ok(got.every((h) => asked.has(h.id)));
  });

  it('skips titles without a vector and returns all when fewer than k are asked about', () => {
    const index = new VectorIndex(dims, 'test');
    index.upsert(ids.slice(0, 10), raw.slice(0, 10));
    const q = unit(vectorFor(7, dims));
    const got = index.nearestAmong(q, [ids[2]!, titleId(9999), ids[5]!, ids[400]!], 10);
    assert.deepEqual(got.map((h) => h.id).sort(), [ids[2], ids[5]].sort());
  });

  it('finds titles that meet a filter even when the whole catalog holds many nearer ones', () => {
    // 480 titles close to the query and 20 far from it: a graph search for the query's nearest 50 returns
    // none of the 20, so a filter keeping only them would be left empty; the exact pass ranks all 20.
    const q = unit(vectorFor(42, dims));
    const near = ids.slice(0, 480).map((_, i) => q.map((x, d) => x + 0.05 * vectorFor(i + 100, dims)[d]!));
    const far = ids.slice(480).map((_, i) => q.map((x, d) => -x + 0.3 * vectorFor(i + 900, dims)[d]!));
    const index = new VectorIndex(dims, 'test');
    index.upsert(ids, [...near, ...far]);
    const kept = ids.slice(480);
    const graph = index.search(q, 50).filter((h) => kept.includes(h.id));
    assert.equal(graph.length, 0);
    const exact = index.nearestAmong(q, kept, 50);
    assert.equal(exact.length, 20);
    for (let i = 1; i < exact.length; i++) assert.ok(exact[i - 1]!.similarity >= exact[i]!.similarity);
  });
});

describe('vector rows: one array, a row per title', () => {
  const dims = 6;
  const ids = Array.from({ length: 300 }, (_, i) => titleId(i));
  const raw = ids.map((_, i) => vectorFor(i + 1, dims));

  it('finds by catalog position the same titles as by id, reading only positions that pass', () => {
    const index = new VectorIndex(dims, 'test');
    index.upsert(ids, raw);
    const order = [...ids].reverse().map((id) => ({ id }));
    const positions = Int32Array.from({ length: 200 }, (_, i) => i + 50);
    const read: number[] = [];
    const ok = (p: number) => {
      read.push(p);
      return p % 2 === 0;
    };
    const q = unit(vectorFor(77, dims));
    const byPosition = index.nearestAt(q, order, positions, ok, 15);
    const byId = index.nearestAmong(
      q,
      [...positions].filter((p) => p % 2 === 0).map((p) => order[p]!.id),
      15,
    );
    assert.deepEqual(byPosition, byId);
    assert.deepEqual(read, [...positions]);
  });

  it('follows removals and replacements: a reused row answers for its new title only', () => {
    const index = new VectorIndex(dims, 'test');
    index.upsert(ids.slice(0, 3), raw.slice(0, 3));
    const order = ids.slice(0, 4).map((id) => ({ id }));
    const q = unit(raw[1]!);
    assert.equal(index.nearestAt(q, order, Int32Array.of(0, 1, 2, 3), () => true, 1)[0]!.id, ids[1]);
    // The title leaves (its row is freed), another arrives and takes the row; the same order is asked again.
    index.upsert([ids[1]!], [undefined]);
    index.upsert([ids[3]!], [raw[1]!]);
    const after = index.nearestAt(q, order, Int32Array.of(0, 1, 2, 3), () => true, 3);
    assert.equal(after[0]!.id, ids[3]);
    assert.ok(Math.abs(after[0]!.similarity - 1) < 1e-6);
    assert.ok(!after.some((h) => h.id === ids[1]));
    // By position: the new title is at position 3 and nowhere else (a list of rows kept from before the change
    // would read the reused row at position 1).
    const without3 = index.nearestAt(q, order, Int32Array.of(0, 1, 2, 3), (p) => p !== 3, 3);
    assert.deepEqual(without3.map((h) => h.id).sort(), [ids[0], ids[2]].sort());
    // A copy, scaled to unit length: changing it changes nothing stored.
    const copy = index.vectors.get(ids[3]!)!;
    assert.ok(Math.abs(Math.hypot(...copy) - 1) < 1e-6);
    copy.fill(0);
    assert.ok(Math.abs(Math.hypot(...index.vectors.get(ids[3]!)!) - 1) < 1e-6);
  });

  it('grows past its first allocation and keeps every row', () => {
    const index = new VectorIndex(dims, 'test');
    const many = Array.from({ length: 1000 }, (_, i) => titleId(i));
    index.upsert(
      many,
      many.map((_, i) => vectorFor(i + 5, dims)),
    );
    for (const i of [0, 255, 256, 999])
      assert.ok(Math.abs(cosine(index.vectors.get(many[i]!)!, vectorFor(i + 5, dims)) - 1) < 1e-6, `row ${i}`);
  });
});
