import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { invertSpdInPlace, trainEase } from '../src/ease-trainer.ts';

describe('EASE', () => {
  test('inverts a symmetric positive-definite matrix', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const inv = Float64Array.from(a);
    invertSpdInPlace(inv, 3);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * inv[k * 3 + j]!;
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `(A·A⁻¹)[${i}][${j}] = ${s}`);
      }
  });

  test('tiny matrix: zero diagonal, the EASE optimality condition holds, co-watched items point to each other', () => {
    // Four people, four items: a and b always together, c with a once, d alone.
    const rows: Record<string, string[]> = { p1: ['a', 'b'], p2: ['a', 'b', 'c'], p3: ['a', 'b'], p4: ['d', 'c'] };
    const interactions = Object.entries(rows).flatMap(([user, list]) =>
      list.map((item) => ({ user, item, weight: 1 })),
    );
    interactions.push({ user: 'p4', item: 'a', weight: -1 }); // negatives never enter X
    const lambda = 0.5;
    const m = trainEase(interactions, { minCount: 1, lambda, topK: 0 });
    const n = m.items.length;
    assert.equal(n, 4);
    const B = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let p = m.ptr[i]!; p < m.ptr[i + 1]!; p++) B[i * n + m.idx[p]!] = m.val[p]!;
    const at = (x: string) => m.items.indexOf(x);
    for (let i = 0; i < n; i++) assert.equal(B[i * n + i], 0);
    // Gram matrix G = XᵀX; for every column j and row i ≠ j: ((G + λI)·B)[i][j] = G[i][j].
    const G = new Float64Array(n * n);
    for (const list of Object.values(rows)) for (const x of list) for (const y of list) G[at(x) * n + at(y)]! += 1;
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        if (i === j) continue;
        let s = 0;
        for (let k = 0; k < n; k++) s += (G[i * n + k]! + (i === k ? lambda : 0)) * B[k * n + j]!;
        assert.ok(Math.abs(s - G[i * n + j]!) < 1e-5, `condition at (${i},${j}): ${s} vs ${G[i * n + j]}`);
      }
    assert.ok(B[at('a') * n + at('b')]! > 0.3, 'a → b is strong');
    assert.ok(B[at('a') * n + at('b')]! > B[at('a') * n + at('d')]!, 'a → b beats a → d');
  });

  test('minCount and maxItems bound the model; topK keeps the largest weights per row', () => {
    const interactions = ['u1', 'u2', 'u3'].flatMap((user) =>
      ['x', 'y', 'z'].map((item) => ({ user, item, weight: 1 })),
    );
    interactions.push({ user: 'u1', item: 'rare', weight: 1 });
    assert.deepEqual(trainEase(interactions, { minCount: 2 }).items.sort(), ['x', 'y', 'z']);
    assert.equal(trainEase(interactions, { minCount: 1, maxItems: 2 }).items.length, 2);
    const top1 = trainEase(interactions, { minCount: 1, topK: 1 });
    for (let i = 0; i < top1.items.length; i++) assert.equal(top1.ptr[i + 1]! - top1.ptr[i]!, 1);
  });
});
