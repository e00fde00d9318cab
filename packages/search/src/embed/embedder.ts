/**
 * Turns text into unit vectors. The default is the local LSA model (no network); any
 * OpenAI-compatible `/v1/embeddings` endpoint is the option (see openai-embedder.ts).
 */
export interface Embedder {
  readonly name: string;
  readonly dimensions: number;
  /** Vector for a free-text query. */
  embedQuery(text: string): Promise<Float32Array>;
  /** Vectors for catalog documents (one per title, built by `titleDocument`). */
  embedDocuments(docs: TitleDoc[]): Promise<Float32Array[]>;
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
