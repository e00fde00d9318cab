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

  constructor(readonly model: EaseModel, items: ItemTable) {
    this.rowOf = new Int32Array(items.size).fill(-1);
    this.colToItem = new Int32Array(model.items.length).fill(-1);
    model.items.forEach((id, row) => {
      const i = items.index.get(id);
      if (i === undefined) return;
      this.rowOf[i] = row;
      this.colToItem[row] = i;
    });
  }

  /** scores[j] += weight · B[item][j] for every kept neighbour j of `item`. */
  addRow(item: number, weight: number, scores: Float32Array): void {
    const row = this.rowOf[item]!;
    if (row < 0) return;
    const { ptr, idx, val } = this.model;
    for (let p = ptr[row]!; p < ptr[row + 1]!; p++) {
      const j = this.colToItem[idx[p]!]!;
      if (j >= 0) scores[j]! += weight * val[p]!;
    }
  }

  /** B[item][target], or 0 when not kept. */
  weight(item: number, target: number): number {
    const row = this.rowOf[item]!;
    const col = this.rowOf[target]!;
    if (row < 0 || col < 0) return 0;
    const { ptr, idx, val } = this.model;
    for (let p = ptr[row]!; p < ptr[row + 1]!; p++) if (idx[p] === col) return val[p]!;
    return 0;
  }
}
