import type { EaseModel } from './ease-trainer.ts';

export interface TransitionOptions {
  /** A title counts as "next" after each of the `window` titles before it in the same person's history. */
  window?: number;
  /** Titles need at least this many people to get a row. */
  minCount?: number;
  /** Neighbours kept per row. */
  topK?: number;
  /** Shrinks rows of rarely seen titles: P(b after a) ≈ count(a→b) / (count(a) + smoothing). */
  smoothing?: number;
}

/**
 * What people went on to watch next: for each title a, the titles b that followed it within a few steps
 * in people's histories, weighted 1/distance, as P(b soon after a) with smoothing. EASE sees each history
 * as a set; this sees its order (issue 18: "the order of a person's history carries signal"). Stored in
 * EASE's sparse layout so the ranker reads both the same way.
 */
export function trainTransitions(histories: Iterable<readonly string[]>, options: TransitionOptions = {}): EaseModel {
  const window = options.window ?? 5;
  const minCount = options.minCount ?? 2;
  const topK = options.topK ?? 50;
  const smoothing = options.smoothing ?? 10;
  const people = new Map<string, number>();
  const lists: string[][] = [];
  for (const h of histories) {
    const list = [...new Set(h)];
    lists.push(list);
    for (const id of list) people.set(id, (people.get(id) ?? 0) + 1);
  }
  const items = [...people.keys()].filter((id) => people.get(id)! >= minCount).sort();
  const col = new Map(items.map((id, i) => [id, i]));
  const rows: Array<Map<number, number>> = items.map(() => new Map());
  for (const list of lists) {
    const idx = list.map((id) => col.get(id) ?? -1);
    for (let p = 0; p < idx.length; p++) {
      const a = idx[p]!;
      if (a < 0) continue;
      for (let d = 1; d <= window && p + d < idx.length; d++) {
        const b = idx[p + d]!;
        if (b >= 0) rows[a]!.set(b, (rows[a]!.get(b) ?? 0) + 1 / d);
      }
    }
  }
  const ptr = new Int32Array(items.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  rows.forEach((row, a) => {
    const denominator = people.get(items[a]!)! + smoothing;
    const kept = [...row.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, topK);
    for (const [b, v] of kept) {
      idx.push(b);
      val.push(v / denominator);
    }
    ptr[a + 1] = idx.length;
  });
  return { items, ptr, idx: Int32Array.from(idx), val: Float32Array.from(val) };
}
