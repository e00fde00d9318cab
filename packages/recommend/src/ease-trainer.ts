/**
 * EASE (Steck 2019): an item-item model with a closed form, B = I − P·diag(1/diag(P)) with
 * P = (XᵀX + λI)⁻¹ and a zero diagonal. Exact inversion is O(n³), so the caller restricts it to
 * items with enough interactions; everything else is reached through content vectors.
 */
export interface Interaction {
  user: string;
  item: string;
  /** > 0 = positive signal; only positives enter X. */
  weight: number;
}

export interface EaseModel {
  items: string[];
  /** Row i lists the items j that item i points to, with B[i][j] (top-K by value). */
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

export interface EaseOptions {
  lambda?: number;
  /** Items need at least this many distinct positive users. */
  minCount?: number;
  /** Hard cap on items (the most interacted win) so training time stays bounded. */
  maxItems?: number;
  /** Neighbours kept per row; 0 keeps the dense rows. */
  topK?: number;
}

/** In-place inverse of a symmetric positive-definite matrix (Gauss–Jordan without pivoting). */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    const p = 1 / a[rowK + k]!;
    a[rowK + k] = 1;
    for (let j = 0; j < n; j++) a[rowK + j]! *= p;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const rowI = i * n;
      const f = a[rowI + k]!;
      if (f === 0) continue;
      a[rowI + k] = 0;
      for (let j = 0; j < n; j++) a[rowI + j]! -= f * a[rowK + j]!;
    }
  }
}

export function trainEase(interactions: readonly Interaction[], options: EaseOptions = {}): EaseModel {
  const lambda = options.lambda ?? 200;
  const minCount = options.minCount ?? 3;
  const maxItems = options.maxItems ?? 3000;
  const topK = options.topK ?? 0;
  const byUser = new Map<string, Set<string>>();
  for (const it of interactions) {
    if (it.weight <= 0) continue;
    let set = byUser.get(it.user);
    if (!set) {
      set = new Set();
      byUser.set(it.user, set);
    }
    set.add(it.item);
  }
  const counts = new Map<string, number>();
  for (const set of byUser.values()) for (const item of set) counts.set(item, (counts.get(item) ?? 0) + 1);
  const items = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxItems)
    .map(([id]) => id);
  const n = items.length;
  const index = new Map(items.map((id, i) => [id, i]));
  const g = new Float64Array(n * n);
  for (const set of byUser.values()) {
    const rows = [...set].map((id) => index.get(id)).filter((i): i is number => i !== undefined);
    for (const a of rows) for (const b of rows) g[a * n + b]! += 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i]! += lambda;
  invertSpdInPlace(g, n);
  const ptr = new Int32Array(n + 1);
  const idxList: number[] = [];
  const valList: number[] = [];
  const row = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // B[i][j] = −P[i][j] / P[j][j]
    for (let j = 0; j < n; j++) row[j] = i === j ? 0 : -g[i * n + j]! / g[j * n + j]!;
    let keep: number[];
    if (topK > 0 && topK < n) {
      for (let j = 0; j < n; j++) order[j] = j;
      keep = Array.from(order)
        .sort((x, y) => row[y]! - row[x]!)
        .slice(0, topK);
    } else {
      keep = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    }
    for (const j of keep) {
      idxList.push(j);
      valList.push(row[j]!);
    }
    ptr[i + 1] = idxList.length;
  }
  return { items, ptr, idx: Int32Array.from(idxList), val: Float32Array.from(valList) };
}
