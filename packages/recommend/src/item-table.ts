import { GENRES, mapGenreLabels } from '@media-gateway/domain';
import { ContentBuckets } from './candidate-pool.ts';
import { type Mood, moodBoost } from './context-rerank.ts';
import { CONTENT_DIM, type ItemContent, writeContentVector } from './content-vectors.ts';

export interface ItemInput extends ItemContent {
  id: string;
  title: string;
  runtimeMinutes?: number | null;
  /** Source popularity hint (for example log10 of IMDb votes); any scale, normalised here. */
  popularity?: number | null;
}

const GENRE_BIT = new Map<string, number>(GENRES.map((g, i) => [g, i]));

/**
 * Every recommendable item with its content vector and the few facts ranking needs (genres as a
 * bitmask, kind, runtime). Rebuilt from the catalog whenever it changes: content needs no
 * training, which is what keeps a brand-new title recommendable before the next retrain.
 */
export class ItemTable {
  readonly ids: string[];
  readonly index = new Map<string, number>();
  readonly titles: string[];
  readonly content: Float32Array;
  readonly genreMask: Uint32Array;
  readonly genres: string[][];
  readonly runtime: Uint16Array;
  readonly isSeries: Uint8Array;
  /** 0..1, from the source popularity hint. */
  readonly prior: Float32Array;
  /** year / 10, or 0 when unknown (a content-bucket key). */
  readonly decade: Uint16Array;
  /** Directors and the first billed cast, to say who two titles share (similar titles' reasons). */
  readonly people: string[][];
  /** Item indices, most popular first: the fallback candidates when nothing personal applies. */
  readonly byPrior: Int32Array;
  private bucketIndex: ContentBuckets | undefined;

  constructor(items: readonly ItemInput[]) {
    const n = items.length;
    this.ids = items.map((i) => i.id);
    this.titles = items.map((i) => i.title);
    this.content = new Float32Array(n * CONTENT_DIM);
    this.genreMask = new Uint32Array(n);
    this.genres = [];
    this.runtime = new Uint16Array(n);
    this.isSeries = new Uint8Array(n);
    this.prior = new Float32Array(n);
    this.decade = new Uint16Array(n);
    this.people = [];
    let maxPop = 0;
    for (const it of items) maxPop = Math.max(maxPop, it.popularity ?? 0);
    items.forEach((it, i) => {
      this.index.set(it.id, i);
      const genres = mapGenreLabels(it.genres);
      this.genres.push(genres);
      writeContentVector({ ...it, genres }, this.content, i * CONTENT_DIM);
      let mask = 0;
      for (const g of genres) mask |= 1 << GENRE_BIT.get(g)!;
      this.genreMask[i] = mask >>> 0;
      this.runtime[i] = Math.min(65535, Math.max(0, Math.round(it.runtimeMinutes ?? 0)));
      this.isSeries[i] = it.kind === 'series' ? 1 : 0;
      this.prior[i] = maxPop > 0 ? Math.max(0, it.popularity ?? 0) / maxPop : 0;
      this.decade[i] = it.year ? Math.floor(it.year / 10) : 0;
      this.people.push([...(it.directors ?? []), ...(it.cast ?? []).slice(0, 6)]);
    });
    this.byPrior = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => this.prior[b]! - this.prior[a]! || a - b);
  }

  private readonly moodBoosts = new Map<Mood, Float32Array>();
  /** The explicit-mood part of the context boost for every item, computed once per mood. */
  moodBoost(mood: Mood): Float32Array {
    let b = this.moodBoosts.get(mood);
    if (!b) {
      b = new Float32Array(this.size);
      for (let i = 0; i < this.size; i++) b[i] = moodBoost(this, i, mood);
      this.moodBoosts.set(mood, b);
    }
    return b;
  }

  /** Content buckets for candidate retrieval, built on first use (a table change builds a new table). */
  get buckets(): ContentBuckets {
    this.bucketIndex ??= new ContentBuckets(this);
    return this.bucketIndex;
  }

  get size(): number {
    return this.ids.length;
  }

  hasGenre(i: number, genre: string): boolean {
    const bit = GENRE_BIT.get(genre);
    return bit !== undefined && (this.genreMask[i]! & (1 << bit)) !== 0;
  }
}
