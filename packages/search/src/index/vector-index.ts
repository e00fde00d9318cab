import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import usearch, { type Index } from 'usearch';
import { keyTitle, titleKey } from './title-key.ts';
import { VectorRows } from './vector-rows.ts';

export { keyTitle, titleKey };

export interface VectorMeta {
  embedder: string;
  dimensions: number;
  lastSeq: number;
  count: number;
  /** How many titles the local model was trained on: a much larger catalog triggers retraining. */
  trainedOn?: number;
}

/**
 * Approximate nearest neighbours over title vectors (usearch HNSW, cosine, f16: STACK.md §4).
 * Saved under `<dataDir>/search/` with a small JSON beside it that records which catalog event the
 * index has caught up to, so a restart only embeds what changed since.
 */
export class VectorIndex {
  private readonly index: Index;
  /**
   * The same vectors kept for re-ranking (diversity, anchors) and exact search among few titles: usearch stores
   * them quantized. Unit length (a cosine is a dot product), whatever length the embedder gave.
   */
  readonly vectors: VectorRows;
  meta: VectorMeta;

  constructor(dimensions: number, embedder: string, quantization: 'f16' | 'f32' | 'i8' = 'f16') {
    this.index = new usearch.Index({
      metric: 'cos',
      dimensions,
      connectivity: 16,
      quantization,
      expansion_add: 128,
      expansion_search: 64,
      multi: false,
    } as never);
    this.meta = { embedder, dimensions, lastSeq: 0, count: 0 };
    this.vectors = new VectorRows(dimensions);
  }

  get size(): number {
    return Number(this.index.size());
  }

  /**
   * Adds or replaces vectors (usearch forbids duplicate keys, so existing ones are removed first).
   * A title whose vector is undefined (the embedder knows none of its words) is left out, or taken out.
   */
  upsert(ids: string[], vectors: Array<Float32Array | undefined>): void {
    if (ids.length === 0) return;
    const keys = BigUint64Array.from(ids.map(titleKey));
    for (const key of keys) if (this.index.contains(key)) this.index.remove(key);
    const dims = this.meta.dimensions;
    const kept: number[] = [];
    vectors.forEach((v, i) => {
      if (v) kept.push(i);
      else this.vectors.delete(ids[i]!);
    });
    if (kept.length) {
      const flat = new Float32Array(kept.length * dims);
      kept.forEach((i, row) => {
        flat.set(vectors[i]!, row * dims);
        this.vectors.set(ids[i]!, vectors[i]!);
      });
      this.index.add(kept.length === ids.length ? keys : BigUint64Array.from(kept, (i) => keys[i]!), flat, 0);
    }
    this.meta.count = this.size;
  }

  /** Keeps full-precision vectors of titles already in a loaded index (for re-ranking only). */
  remember(ids: string[], vectors: Array<Float32Array | undefined>): void {
    ids.forEach((id, i) => {
      const v = vectors[i];
      if (v) this.vectors.set(id, v);
    });
  }

  /**
   * The `k` nearest titles, nearest first. `idOf`, given a title's key (`titleKey`), says which titles to keep
   * (undefined: left out) and gives their id (`keyTitle(key)` by default): a filtered search often keeps a few
   * dozen of 1,000, and the catalog's own id strings are found faster in Maps later than new ones.
   */
  search(
    vector: Float32Array,
    k: number,
    idOf: (key: bigint) => string | undefined = keyTitle,
  ): Array<{ id: string; similarity: number }> {
    if (this.size === 0) return [];
    const res = this.index.search(vector, Math.min(k, this.size), 1);
    const out: Array<{ id: string; similarity: number }> = [];
    for (let i = 0; i < res.keys.length; i++) {
      const id = idOf(res.keys[i]!);
      if (id !== undefined) out.push({ id, similarity: 1 - res.distances[i]! });
    }
    return out;
  }

  /**
   * The `k` titles among `ids` most similar (cosine) to the unit-length `vector`, by exact comparison: for a
   * short list of candidates (a selective filter) this is cheaper than asking the graph for enough neighbours
   * that some pass, and it misses none. Titles without a vector are skipped.
   */
  nearestAmong(vector: Float32Array, ids: Iterable<string>, k: number): Array<{ id: string; similarity: number }> {
    const rows = Int32Array.from(ids, (id) => this.vectors.row(id));
    return this.nearestRows(vector, rows, rows.keys(), () => true, k);
  }

  /**
   * `nearestAmong` for the titles at `positions` of `order` (the catalog's popularity order) that pass `ok`, read
   * by position: no title id is looked up, and a title that fails `ok` is never read.
   */
  nearestAt(
    vector: Float32Array,
    order: ReadonlyArray<{ id: string }>,
    positions: Int32Array,
    ok: (position: number) => boolean,
    k: number,
  ): Array<{ id: string; similarity: number }> {
    return this.nearestRows(vector, this.vectors.rowsFor(order), positions, ok, k);
  }

  private nearestRows(
    vector: Float32Array,
    rowAt: Int32Array,
    positions: Iterable<number>,
    ok: (position: number) => boolean,
    k: number,
  ): Array<{ id: string; similarity: number }> {
    const best: number[] = [];
    const bestSim = new Float64Array(k + 1);
    for (const p of positions) {
      const row = rowAt[p]!;
      if (row < 0 || !ok(p)) continue;
      const sim = this.vectors.dotRow(vector, row);
      let pos = best.length;
      if (pos === k && sim <= bestSim[k - 1]!) continue;
      // Insertion into the short sorted list: after the first few hundred titles almost none get this far.
      while (pos > 0 && bestSim[pos - 1]! < sim) {
        bestSim[pos] = bestSim[pos - 1]!;
        pos--;
      }
      bestSim[pos] = sim;
      best.splice(pos, 0, row);
      if (best.length > k) best.pop();
    }
    return best.map((row, i) => ({ id: this.vectors.idAt(row), similarity: bestSim[i]! }));
  }

  /**
   * Each file is written beside its place and renamed over it, index first: a search worker loading meanwhile
   * (decision 0124) reads whole files only, and reads the meta first, so its index is never older than its meta.
   */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const index = join(dir, 'vectors.usearch');
    this.index.save(`${index}.tmp`);
    await rename(`${index}.tmp`, index);
    const meta = join(dir, 'vectors.meta.json');
    await writeFile(`${meta}.tmp`, JSON.stringify(this.meta));
    await rename(`${meta}.tmp`, meta);
  }

  /** Loads a saved index when it was built by the same embedder; undefined otherwise. */
  static async load(dir: string, embedder: string, dimensions: number): Promise<VectorIndex | undefined> {
    const metaPath = join(dir, 'vectors.meta.json');
    if (!existsSync(metaPath) || !existsSync(join(dir, 'vectors.usearch'))) return undefined;
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as VectorMeta;
    if (meta.embedder !== embedder || meta.dimensions !== dimensions) return undefined;
    const vi = new VectorIndex(dimensions, embedder);
    vi.index.load(join(dir, 'vectors.usearch'));
    vi.meta = meta;
    return vi;
  }
}
