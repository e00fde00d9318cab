import type { Embedder, TitleDoc } from './embedder.ts';
import type { LsaModel } from './lsa-model.ts';
import type { WordVectorEmbedder } from './word-vectors.ts';

/**
 * Which local vectors the search channel uses (`MG_SEARCH_VECTORS`): the LSA model trained on the
 * catalog, the pretrained word vectors (SIF averages), or both side by side. Decision 0057.
 */
export type VectorsKind = 'lsa' | 'words' | 'both';
export const VECTORS_KINDS: readonly VectorsKind[] = ['lsa', 'words', 'both'];
/**
 * LSA: `both` won on the tuning split of eval:search, but tied on the held-out split under the shipped
 * fusion while costing a 294 MB package, ~60 MB of memory and a slower restart (decision 0057).
 */
export const DEFAULT_VECTORS: VectorsKind = 'lsa';

/**
 * LSA and word vectors concatenated, each half unit length and scaled by 1/√2, so the cosine of two
 * such vectors is the mean of the two models' cosines. A title the word vectors know nothing of keeps
 * its LSA half (the words half is zero); a text neither model knows has no vector.
 */
export class ConcatEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  constructor(
    readonly lsa: LsaModel,
    readonly words: WordVectorEmbedder,
  ) {
    this.name = `${lsa.name}+${words.name}`;
    this.dimensions = lsa.dimensions + words.dimensions;
  }

  private join(l: Float32Array | undefined, w: Float32Array | undefined): Float32Array | undefined {
    const hasL = l?.some((x) => x !== 0) ?? false;
    if (!hasL && !w) return undefined;
    const out = new Float32Array(this.dimensions);
    // One half alone is already a unit vector; two halves are each scaled so the whole stays unit length.
    const scale = hasL && w ? Math.SQRT1_2 : 1;
    if (hasL) for (let i = 0; i < l!.length; i++) out[i] = l![i]! * scale;
    if (w) for (let i = 0; i < w.length; i++) out[this.lsa.dimensions + i] = w[i]! * scale;
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array | undefined> {
    return this.join(await this.lsa.embedQuery(text), await this.words.embedQuery(text));
  }

  async embedDocuments(docs: TitleDoc[]): Promise<Array<Float32Array | undefined>> {
    const l = await this.lsa.embedDocuments(docs);
    const w = await this.words.embedDocuments(docs);
    return docs.map((_, i) => this.join(l[i], w[i]));
  }
}
