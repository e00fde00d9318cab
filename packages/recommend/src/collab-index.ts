import type { CandidateSet } from './candidate-pool.ts';
import type { EaseModel } from './ease-trainer.ts';
import type { ItemTable } from './item-table.ts';

/**
 * The frozen EASE model re-addressed onto the current item table: rows and neighbours become
 * item-table indices, so scoring never touches strings. Items the model never saw have no row.
 */
export class CollabIndex {
  /** item-table index → EASE row, or -1 */
  readonly rowOf: Int32Array;
  /** EASE column → item-table index, or -1 (title left the catalog) */
  readonly colToItem: Int32Array;

  constructor(
    readonly model: EaseModel,
    items: ItemTable,
  ) {
    this.rowOf = new Int32Array(items.size).fill(-1);
    this.colToItem = new Int32Array(model.items.length).fill(-1);
    model.items.forEach((id, row) => {
      const i = items.index.get(id);
      if (i === undefined) return;
      this.rowOf[i] = row;
      this.colToItem[row] = i;
    });
  }

  /** scores[j] += weight · B[item][j] for every kept neighbour j of `item` (recorded in `touched`). */
  addRow(item: number, weight: number, scores: Float32Array, touched?: CandidateSet): void {
    const row = this.rowOf[item]!;
    if (row < 0) return;
    const { ptr, idx, val } = this.model;
    for (let p = ptr[row]!; p < ptr[row + 1]!; p++) {
      const j = this.colToItem[idx[p]!]!;
      if (j < 0) continue;
      scores[j]! += weight * val[p]!;
      touched?.add(j);
    }
  }

  /** B[item][target], or 0 when not kept (binary search in the row sorted by column). */
  weight(item: number, target: number): number {
    const row = this.rowOf[item]!;
    const col = this.rowOf[target]!;
    if (row < 0 || col < 0) return 0;
    const { sortedIdx, sortedVal } = this.byColumn();
    let lo = this.model.ptr[row]!;
    let hi = this.model.ptr[row + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = sortedIdx[mid]!;
      if (v === col) return sortedVal[mid]!;
      if (v < col) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  private sorted: { sortedIdx: Int32Array; sortedVal: Float32Array } | undefined;
  /** Each row's neighbours re-sorted by column, built on first use (explanations only). */
  private byColumn(): { sortedIdx: Int32Array; sortedVal: Float32Array } {
    if (this.sorted) return this.sorted;
    const { ptr, idx, val } = this.model;
    const sortedIdx = new Int32Array(idx.length);
    const sortedVal = new Float32Array(val.length);
    for (let r = 0; r + 1 < ptr.length; r++) {
      const from = ptr[r]!;
      const perm = Array.from({ length: ptr[r + 1]! - from }, (_, k) => from + k).sort((a, b) => idx[a]! - idx[b]!);
      perm.forEach((p, k) => {
        sortedIdx[from + k] = idx[p]!;
        sortedVal[from + k] = val[p]!;
      });
    }
    this.sorted = { sortedIdx, sortedVal };
    return this.sorted;
  }
}
