/**
 * Turns text into unit vectors. The local models need no network: LSA trained on the catalog
 * (lsa-model.ts), pretrained word vectors (word-vectors.ts), or both (local-embedder.ts); any
 * OpenAI-compatible `/v1/embeddings` endpoint is the option (see openai-embedder.ts).
 */
export interface Embedder {
  readonly name: string;
  /** Known once `prepare()` has resolved. */
  readonly dimensions: number;
  /** Vector for a free-text query; undefined (or all zeros) when the embedder knows none of its words. */
  embedQuery(text: string): Promise<Float32Array | undefined>;
  /**
   * Vectors for catalog documents (one per title, in order, built by `entryDoc`); undefined for a title
   * the embedder knows no word of: it is left out of the vector index rather than given a zero vector.
   */
  embedDocuments(docs: TitleDoc[]): Promise<Array<Float32Array | undefined>>;
  /** Called once before the index is built (an endpoint is asked its dimensions here). */
  prepare?(): Promise<void>;
}

/** The parts of a title an embedder sees; metadata tokens let content signals shape the space. */
export interface TitleDoc {
  title: string;
  description: string;
  genres: string[];
  people: string[];
  countries: string[];
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
