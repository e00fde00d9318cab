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
