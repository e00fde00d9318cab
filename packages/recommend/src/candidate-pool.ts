import { CONTENT_DIM } from './content-vectors.ts';
import type { ItemTable } from './item-table.ts';

/**
 * Content retrieval without scanning the catalog: titles are grouped by what dominates their
 * content vector (genre set, kind, decade). A request scores the bucket centroids against the
 * person's vector and takes the best buckets' titles until it has enough available ones. Buckets
 * need no training, so they are rebuilt with the item table whenever the catalog changes.
 */
export class ContentBuckets {
  readonly centroids: Float32Array;
  /** Bucket b's members are order[start[b] .. start[b+1]), most popular first. */
  readonly start: Int32Array;
  readonly order: Int32Array;
  private readonly bucketScores: Float32Array;
  private readonly bucketOrder: Int32Array;

  constructor(items: ItemTable) {
    const keyOf = (i: number) => `${items.genreMask[i]}|${items.isSeries[i]}|${items.decade[i]}`;
    const groups = new Map<string, number[]>();
    for (let i = 0; i < items.size; i++) {
      const k = keyOf(i);
      let g = groups.get(k);
      if (!g) {
        g = [];
        groups.set(k, g);
      }
      g.push(i);
    }
    const list = [...groups.values()];
    this.centroids = new Float32Array(list.length * CONTENT_DIM);
    this.start = new Int32Array(list.length + 1);
    this.order = new Int32Array(items.size);
    let o = 0;
    list.forEach((members, b) => {
      members.sort((x, y) => items.prior[y]! - items.prior[x]! || x - y);
      this.start[b] = o;
      for (const i of members) {
        this.order[o++] = i;
        for (let d = 0; d < CONTENT_DIM; d++)
          this.centroids[b * CONTENT_DIM + d]! += items.content[i * CONTENT_DIM + d]! / members.length;
      }
    });
    this.start[list.length] = o;
    this.bucketScores = new Float32Array(list.length);
    this.bucketOrder = new Int32Array(list.length);
  }

  get buckets(): number {
    return this.start.length - 1;
  }

  /** Adds to `into` the allowed titles of the buckets closest to `u`, until `want` were added. */
  probe(u: Float32Array, want: number, allowed: Uint8Array | undefined, into: CandidateSet): void {
    const nb = this.buckets;
    const scores = this.bucketScores;
    for (let b = 0; b < nb; b++) {
      let s = 0;
      const off = b * CONTENT_DIM;
      for (let d = 0; d < CONTENT_DIM; d++) s += u[d]! * this.centroids[off + d]!;
      scores[b] = s;
      this.bucketOrder[b] = b;
    }
    const order = this.bucketOrder.subarray(0, nb).sort((x, y) => scores[y]! - scores[x]!);
    let added = 0;
    for (const b of order) {
      for (let p = this.start[b]!; p < this.start[b + 1]!; p++) {
        const i = this.order[p]!;
        if (allowed && allowed[i] !== 1) continue;
        if (into.add(i)) added++;
      }
      if (added >= want) return;
    }
  }
}

/** A reusable set of item indices (typed arrays, no per-request allocation). */
export class CandidateSet {
  readonly list: Int32Array;
  private readonly mark: Uint8Array;
  size = 0;

  constructor(n: number) {
    this.list = new Int32Array(n);
    this.mark = new Uint8Array(n);
  }

  add(i: number): boolean {
    if (this.mark[i] === 1) return false;
    this.mark[i] = 1;
    this.list[this.size++] = i;
    return true;
  }

  has(i: number): boolean {
    return this.mark[i] === 1;
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) this.mark[this.list[k]!] = 0;
    this.size = 0;
  }
}
