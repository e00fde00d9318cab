/**
 * Unit-length title vectors in one Float32Array, a row per title, beside usearch (which keeps them only
 * quantized). The exact passes (the titles of a selective filter, diversity) read rows in catalog order: with
 * every vector in its own array and found by id in a Map, reading 7,000 of them took three times as long (16 ms
 * against 5 ms in a micro-benchmark on the 2-core machine, decision 0121).
 */
export class VectorRows {
  private data: Float32Array;
  private readonly rowById = new Map<string, number>();
  private readonly idByRow: Array<string | undefined> = [];
  private readonly freeRows: number[] = [];
  /** Changes whenever a row is set or removed: a list made by `rowsFor` holds while this stays the same. */
  private version = 0;
  private readonly byOrder = new WeakMap<object, { version: number; rows: Int32Array }>();

  constructor(readonly dimensions: number) {
    this.data = new Float32Array(dimensions * 256);
  }

  has(id: string): boolean {
    return this.rowById.has(id);
  }

  /** The title's row, or -1 when it has no vector. */
  row(id: string): number {
    return this.rowById.get(id) ?? -1;
  }

  idAt(row: number): string {
    return this.idByRow[row]!;
  }

  /**
   * Stores `v` scaled to unit length (a cosine is then a dot product), whatever length the embedder gave; one
   * within 1e-4 of it already is stored as it is, and a zero vector stays zero.
   */
  set(id: string, v: Float32Array): void {
    let row = this.rowById.get(id);
    if (row === undefined) {
      row = this.freeRows.pop() ?? this.idByRow.length;
      if ((row + 1) * this.dimensions > this.data.length) this.grow();
      this.rowById.set(id, row);
      this.idByRow[row] = id;
    }
    let norm = 0;
    for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
    const scale = norm === 0 || Math.abs(norm - 1) < 1e-4 ? 1 : 1 / Math.sqrt(norm);
    const at = row * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) this.data[at + d] = (v[d] ?? 0) * scale;
    this.version++;
  }

  delete(id: string): void {
    const row = this.rowById.get(id);
    if (row === undefined) return;
    this.rowById.delete(id);
    this.idByRow[row] = undefined;
    this.freeRows.push(row);
    this.version++;
  }

  /** Drops every row (the 1M-title benchmark keeps only usearch's quantized copy). */
  clear(): void {
    this.rowById.clear();
    this.idByRow.length = 0;
    this.freeRows.length = 0;
    this.data = new Float32Array(this.dimensions * 256);
    this.version++;
  }

  /** A copy of the title's unit vector: a view would change under its holder when the row is reused. */
  get(id: string): Float32Array | undefined {
    const row = this.rowById.get(id);
    if (row === undefined) return undefined;
    return this.data.slice(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** `q · row`. */
  dotRow(q: Float32Array, row: number): number {
    return dotAt(q, 0, this.data, row * this.dimensions, this.dimensions);
  }

  /** The cosine of two titles' vectors, by row. */
  dotRows(x: number, y: number): number {
    const dims = this.dimensions;
    return dotAt(this.data, x * dims, this.data, y * dims, dims);
  }

  /**
   * The row of each title of `order` (-1: no vector), by position; made once per order and per change of the
   * rows. The catalog replaces its popularity order on every re-sort, so a list made for one is never read for
   * another.
   */
  rowsFor(order: ReadonlyArray<{ id: string }>): Int32Array {
    const cached = this.byOrder.get(order);
    if (cached && cached.version === this.version) return cached.rows;
    const rows = Int32Array.from(order, (e) => this.row(e.id));
    this.byOrder.set(order, { version: this.version, rows });
    return rows;
  }

  private grow(): void {
    const next = new Float32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

/** The dot product of `n` values of `a` from `i` and of `b` from `j`; four running sums, which V8 keeps apart. */
function dotAt(a: Float32Array, i: number, b: Float32Array, j: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < n; d += 4) {
    s0 += a[i + d]! * b[j + d]!;
    s1 += a[i + d + 1]! * b[j + d + 1]!;
    s2 += a[i + d + 2]! * b[j + d + 2]!;
    s3 += a[i + d + 3]! * b[j + d + 3]!;
  }
  for (; d < n; d++) s0 += a[i + d]! * b[j + d]!;
  return s0 + s1 + s2 + s3;
}
