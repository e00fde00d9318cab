import { readFile, writeFile } from 'node:fs/promises';
import { type Embedder, normalize, type TitleDoc } from './embedder.ts';
import { docTokens, words } from './tokenize.ts';

/**
 * The default local embedder: latent semantic analysis trained on the catalog itself.
 * TF-IDF over title/description words plus genre, people and country tokens, reduced to `k`
 * dimensions by a randomized SVD (Halko et al. 2011: range finder with power iterations, then an
 * exact eigen-decomposition of the small l×l matrix). Documents and queries are both projected
 * by the same term matrix (fold-in), so unseen titles embed without retraining. No network.
 */
export interface LsaOptions {
  dimensions?: number;
  minDf?: number;
  maxVocab?: number;
  powerIterations?: number;
  seed?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sparse {
  rowPtr: Int32Array;
  col: Int32Array;
  val: Float32Array;
  rows: number;
}

/** Orthonormalizes the columns of a row-major n×l matrix in place (modified Gram–Schmidt). */
function orthonormalize(m: Float64Array, n: number, l: number): void {
  const colj = new Float64Array(n);
  for (let j = 0; j < l; j++) {
    for (let i = 0; i < n; i++) colj[i] = m[i * l + j]!;
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += m[i * l + p]! * colj[i]!;
      for (let i = 0; i < n; i++) colj[i]! -= d * m[i * l + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += colj[i]! * colj[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[i * l + j] = colj[i]! / norm;
  }
}

/** Y(n×l) = A(n×V) · X(V×l). */
function mulA(a: Sparse, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    for (let p = a.rowPtr[r]!; p < a.rowPtr[r + 1]!; p++) {
      const c = a.col[p]! * l;
      const v = a.val[p]!;
      const o = r * l;
      for (let j = 0; j < l; j++) y[o + j]! += v * x[c + j]!;
    }
  }
  return y;
}

/** Z(V×l) = Aᵀ · Y(n×l). */
function mulAt(a: Sparse, y: Float64Array, vocab: number, l: number): Float64Array {
  const z = new Float64Array(vocab * l);
  for (let r = 0; r < a.rows; r++) {
    for (let p = a.rowPtr[r]!; p < a.rowPtr[r + 1]!; p++) {
      const c = a.col[p]! * l;
      const v = a.val[p]!;
      const o = r * l;
      for (let j = 0; j < l; j++) z[c + j]! += v * y[o + j]!;
    }
  }
  return z;
}

/** Eigen-decomposition of a symmetric l×l matrix by cyclic Jacobi rotations. */
function jacobiEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-14) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export class LsaModel implements Embedder {
  readonly name = 'local-lsa';
  private readonly index: Map<string, number>;
  constructor(
    readonly vocab: string[],
    readonly idf: Float32Array,
    readonly terms: Float32Array,
    readonly dimensions: number,
  ) {
    this.index = new Map(vocab.map((t, i) => [t, i]));
  }

  static train(docs: TitleDoc[], options: LsaOptions = {}): LsaModel {
    // Small catalogs cannot support many dimensions: cap k so the sketch stays well inside the data's rank.
    const k = Math.max(4, Math.min(options.dimensions ?? 128, Math.floor(docs.length / 4)));
    const l = k + 16;
    const tokenized = docs.map(docTokens);
    const df = new Map<string, number>();
    for (const toks of tokenized) for (const t of new Set(toks)) df.set(t, (df.get(t) ?? 0) + 1);
    const vocab = [...df.entries()]
      .filter(([, n]) => n >= (options.minDf ?? 2) && n < docs.length * 0.5)
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.maxVocab ?? 60_000)
      .map(([t]) => t);
    const idx = new Map(vocab.map((t, i) => [t, i]));
    const idf = Float32Array.from(vocab, (t) => Math.log((1 + docs.length) / (1 + df.get(t)!)) + 1);
    const a = LsaModel.tfidf(tokenized, idx, idf);
    const V = vocab.length;
    const rand = rng(options.seed ?? 42);
    const omega = new Float64Array(V * l);
    for (let i = 0; i < omega.length; i++) omega[i] = rand() * 2 - 1;
    let y = mulA(a, omega, l);
    orthonormalize(y, a.rows, l);
    for (let it = 0; it < (options.powerIterations ?? 2); it++) {
      const z = mulAt(a, y, V, l);
      orthonormalize(z, V, l);
      y = mulA(a, z, l);
      orthonormalize(y, a.rows, l);
    }
    // B = Qᵀ A (l×V), stored as Bᵀ (V×l); then B Bᵀ = W Σ² Wᵀ and the term matrix is Bᵀ W Σ⁻¹.
    const bt = mulAt(a, y, V, l);
    const bbt = new Float64Array(l * l);
    for (let r = 0; r < V; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const bi = bt[o + i]!;
        if (bi === 0) continue;
        for (let j = i; j < l; j++) bbt[i * l + j]! += bi * bt[o + j]!;
      }
    }
    for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
    const { values, vectors } = jacobiEigen(bbt, l);
    const order = [...values.keys()].sort((p, q) => values[q]! - values[p]!).slice(0, k);
    const terms = new Float32Array(V * k);
    for (let r = 0; r < V; r++) {
      for (let c = 0; c < k; c++) {
        const e = order[c]!;
        const sigma = Math.sqrt(Math.max(values[e]!, 1e-12));
        let s = 0;
        for (let i = 0; i < l; i++) s += bt[r * l + i]! * vectors[i * l + e]!;
        terms[r * k + c] = s / sigma;
      }
    }
    return new LsaModel(vocab, idf, terms, k);
  }

  private static tfidf(tokenized: string[][], idx: Map<string, number>, idf: Float32Array): Sparse {
    const rowPtr = new Int32Array(tokenized.length + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    tokenized.forEach((toks, r) => {
      const tf = new Map<number, number>();
      for (const t of toks) {
        const i = idx.get(t);
        if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
      }
      let norm = 0;
      const row = [...tf.entries()].map(([i, n]) => {
        const w = (1 + Math.log(n)) * idf[i]!;
        norm += w * w;
        return [i, w] as const;
      });
      norm = Math.sqrt(norm) || 1;
      for (const [i, w] of row) {
        cols.push(i);
        vals.push(w / norm);
      }
      rowPtr[r + 1] = cols.length;
    });
    return { rowPtr, col: Int32Array.from(cols), val: Float32Array.from(vals), rows: tokenized.length };
  }

  /** Projects weighted tokens through the term matrix; zero vector when no token is known. */
  private project(tokens: string[]): Float32Array {
    const tf = new Map<number, number>();
    for (const t of tokens) {
      const i = this.index.get(t);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const k = this.dimensions;
    const out = new Float32Array(k);
    for (const [i, n] of tf) {
      const w = (1 + Math.log(n)) * this.idf[i]!;
      for (let c = 0; c < k; c++) out[c]! += w * this.terms[i * k + c]!;
    }
    return normalize(out);
  }

  /** How many query words the model knows (0 → the vector channel has nothing to say). */
  knownWords(text: string): number {
    return words(text).filter((w) => this.index.has(w)).length;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.project(words(text));
  }

  async embedDocuments(docs: TitleDoc[]): Promise<Float32Array[]> {
    return docs.map((d) => this.project(docTokens(d)));
  }

  async save(path: string): Promise<void> {
    const header = Buffer.from(JSON.stringify({ dimensions: this.dimensions, vocab: this.vocab }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    await writeFile(
      path,
      Buffer.concat([
        len,
        header,
        Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength),
        Buffer.from(this.terms.buffer, this.terms.byteOffset, this.terms.byteLength),
      ]),
    );
  }

  static async load(path: string): Promise<LsaModel> {
    const buf = await readFile(path);
    const n = buf.readUInt32LE(0);
    const { dimensions, vocab } = JSON.parse(buf.subarray(4, 4 + n).toString()) as {
      dimensions: number;
      vocab: string[];
    };
    const rest = buf.subarray(4 + n);
    const copy = new Uint8Array(rest.length);
    copy.set(rest);
    const idf = new Float32Array(copy.buffer, 0, vocab.length);
    const terms = new Float32Array(copy.buffer, vocab.length * 4, vocab.length * dimensions);
    return new LsaModel(vocab, idf, terms, dimensions);
  }
}
