import type { Queryable } from '@media-gateway/db';
import { type Embedder, normalize, type TitleDoc } from '../embed/embedder.ts';
import type { LexicalIndex } from '../index/lexical-index.ts';
import type { CatalogEntry, TitleCatalog } from '../index/title-catalog.ts';
import type { VectorIndex } from '../index/vector-index.ts';
import { synonyms } from '../understand/synonyms.ts';
import { type Constraints, compileCandidateConstraints, narrowestCandidates, queryTerms } from './filters.ts';
import { type Channel, type FusionMethod, fuse } from './fusion.ts';
import { type InMemoryLexical, lexicalSearch, type Scored } from './lexical.ts';
import { contentTerms, holdsAnyWord } from './word-match.ts';

export type RetrievalMode = 'hybrid' | 'lexical' | 'vector';

export interface RankOptions {
  mode: RetrievalMode;
  fusion: FusionMethod;
  /** How many ranked ids to produce (pages are cut from these). */
  depth: number;
  diversify: boolean;
  /** Channel weights for fusion (defaults measured by eval:search; decision 0052). */
  weights?: Partial<ChannelWeights>;
  /** Told how long each stage took (seconds): metrics and traces, never ranking. */
  observe?: StageObserver;
  /**
   * A one-word query read as a constraint ("dark" is a mood) that is also a title's whole name ("Dark"): that title
   * comes first when it meets the constraints, as a title typed by its name of two words or more does.
   */
  name?: string | undefined;
}

export type SearchStage = 'parse' | 'lexical' | 'vector' | 'fusion' | 'total';
export type StageObserver = (stage: SearchStage, seconds: number) => void;

const since = (start: number) => (performance.now() - start) / 1000;

/**
 * Fusion weights per channel, plus `popularityScale`: lexical and vector scores are multiplied by
 * (1 + popularity / popularityScale) before ranking (smaller = stronger prior inside the channel).
 */
export interface ChannelWeights {
  lexical: number;
  title: number;
  vector: number;
  anchor: number;
  browse: number;
  popularityScale: number;
  expanded: number;
  /**
   * "like X": titles sharing X's genres, beside X's vector neighbours (0 = only as the fallback without vectors).
   * 2 was chosen on eval:search-like's tuning anchors (decision 0126): nDCG@10 of what X's fans also liked,
   * held out 0.1055 → 0.1667.
   */
  anchorGenres: number;
  /** Free words holding a person's full name ("tom cruise action"): that person's titles, most popular first. */
  person: number;
}
export const DEFAULT_WEIGHTS: ChannelWeights = {
  lexical: 1,
  title: 0.6,
  vector: 0.5,
  anchor: 1.2,
  browse: 5,
  popularityScale: 20,
  expanded: 0,
  anchorGenres: 2,
  person: 1,
};

export interface Ranked {
  id: string;
  score: number;
  from: Set<string>;
}

export function entryDoc(e: CatalogEntry): TitleDoc {
  return {
    title: e.title,
    description: e.description,
    genres: e.genres,
    people: [...e.directors, ...e.cast.slice(0, 5)],
    countries: e.countries,
  };
}

export interface RankDeps {
  db: Queryable;
  catalog: TitleCatalog;
  embedder: Embedder | undefined;
  vectors: VectorIndex | undefined;
  /** The in-memory full-text index once loaded; PostgreSQL answers the lexical channel until then. */
  lexical?: LexicalIndex | undefined;
}

/**
 * Retrieval and ranking under constraints: lexical (weighted full text), title match (typo
 * tolerant), vector (query text and "like" anchors), and a popularity browse of everything that
 * satisfies the constraints; fused, then diversified. Every channel's candidates are filtered by
 * the same SQL predicate, so no result can break a stated constraint.
 */
export async function rank(deps: RankDeps, c: Constraints, options: RankOptions): Promise<Ranked[]> {
  const { db, catalog, embedder, vectors } = deps;
  const intent = c.intent;
  const text = intent.text;
  const pool = Math.max(200, options.depth * 2);
  const vectorPool = Math.max(VECTOR_POOL_FLOOR, options.depth * 2);
  const channels: Channel[] = [];
  const useLex = options.mode !== 'vector';
  const useVec = options.mode !== 'lexical' && vectors !== undefined && embedder !== undefined;

  const w = { ...DEFAULT_WEIGHTS, ...options.weights };
  // Channels overlap, but checking a title again (mostly bitset reads) costs less than remembering the answer.
  const candidates = compileCandidateConstraints(c, catalog);
  const ok = candidates.entry;
  const pass = (h: Scored) => candidates.id(h.id);
  const observe = options.observe;
  const memory: InMemoryLexical | undefined = deps.lexical
    ? {
        index: deps.lexical,
        popularity: (id) => catalog.entries.get(id)?.popularity ?? 0,
        // Read when the index searches (after an await): the catalog may have changed since this search began.
        get popularityVersion() {
          return catalog.version;
        },
      }
    : undefined;
  let lexical: Promise<Scored[]> | undefined;
  // Overfetch: candidates are filtered after retrieval, and a selective filter drops most of them.
  if (useLex && text) {
    const started = performance.now();
    lexical = lexicalSearch(db, text, pool * 2, w.popularityScale, memory).then((hits) => {
      observe?.('lexical', since(started));
      return hits;
    });
  }
  // WordNet synonyms of short queries' words, as their own lexical channel (decision 0053 measures it).
  let expanded: Promise<Scored[]> | undefined;
  if (options.mode === 'hybrid' && w.expanded > 0 && text) {
    const terms = queryTerms(text);
    const extra =
      terms.length <= 3 ? [...new Set(terms.flatMap((t) => synonyms(t)))].filter((x) => !terms.includes(x)) : [];
    if (extra.length) expanded = lexicalSearch(db, extra.join(' '), pool, w.popularityScale, memory);
  }
  if (useLex && text) {
    const titleHits = catalog
      .matchTitles(text, 20)
      .map((id, i) => ({ id, score: 20 - i }))
      .filter(pass);
    if (titleHits.length) channels.push({ name: 'title', weight: w.title, hits: titleHits });
  }
  const named = useLex && text && w.person > 0 ? peopleNamedIn(catalog, text) : [];
  const byPerson = personHits(catalog, named, pass, pool);
  if (byPerson.length) channels.push({ name: 'person', weight: w.person, hits: byPerson });
  if (useVec && vectors && embedder) {
    const vectorStarted = performance.now();
    const parts: Float32Array[] = [];
    const vecText = [text, ...intent.moods.flatMap((m) => m.keywords)].filter(Boolean).join(' ');
    const qv = vecText ? await embedder.embedQuery(vecText) : undefined;
    if (qv) parts.push(qv);
    const anchors = intent.like
      .map((l) => (l.titleId ? catalog.entries.get(l.titleId) : undefined))
      .filter((e): e is CatalogEntry => !!e);
    if (anchors.length) {
      const av = anchors.map((a) => vectors.vectors.get(a.id)).filter((v): v is Float32Array => v !== undefined);
      // Anchors weigh more than the words around them: "like X" is the strongest signal given.
      for (const v of av) parts.push(v.map((x) => x * 2));
    }
    if (parts.length) {
      const q = normalize(parts.reduce((acc, v) => acc.map((x, i) => x + v[i]!)));
      if (q.some((x) => x !== 0)) {
        // The same popularity prior as the lexical channel, so both rank alike among equal matches.
        // A selective constraint: compare with each title that meets it. Otherwise search the graph deep enough
        // for the constraint's share of the catalog, and go 5× deeper only when the constraints still dropped most
        // of it (usearch cost grows with k). The constraints are checked by usearch key, before a title id is made.
        const narrow = narrowestCandidates(c, catalog);
        let raw: Scored[];
        if (narrow && narrow.length <= EXACT_VECTOR_SCAN) {
          raw = vectors
            .nearestAt(q, catalog.byPopularity, narrow, candidates.rank, vectorPool)
            .map((h) => ({ id: h.id, score: h.similarity }));
        } else {
          // A constraint that keeps a third of the catalog keeps about a third of the graph's neighbours: ask for
          // enough that the pool survives it, rather than for the pool and then 5× more.
          const share = narrow ? Math.max(0.2, narrow.length / Math.max(1, vectors.size)) : 1;
          const k = Math.min(pool * 5, Math.ceil(vectorPool / share));
          raw = vectors.search(q, k, candidates.key).map((h) => ({ id: h.id, score: h.similarity }));
          if (raw.length < vectorPool / 2 && vectors.size > k)
            raw = vectors.search(q, pool * 5, candidates.key).map((h) => ({ id: h.id, score: h.similarity }));
        }
        const hits = raw
          .slice(0, pool)
          .map((h) => ({
            id: h.id,
            score: h.score * (1 + (catalog.entries.get(h.id)?.popularity ?? 0) / w.popularityScale),
          }))
          .sort((a, b) => b.score - a.score);
        channels.push({ name: 'vector', weight: intent.like.length ? w.anchor : w.vector, hits });
      }
    }
    observe?.('vector', since(vectorStarted));
  }
  if (options.mode === 'hybrid' && intent.like.length && (!useVec || w.anchorGenres > 0)) {
    // Titles sharing X's genres: beside the vectors when weighted, and in their place while they load.
    const hits = genreNeighbours(
      catalog,
      intent.like.map((l) => l.titleId).filter((id): id is string => !!id),
      candidates.rank,
      pool,
    );
    if (hits.length)
      channels.push(
        useVec ? { name: 'genres', weight: w.anchorGenres, hits } : { name: 'vector', weight: w.anchor, hits },
      );
  }
  if (lexical) {
    const hits = (await lexical).filter(pass).slice(0, pool);
    channels.push({ name: 'lexical', weight: w.lexical, hits });
  }
  if (expanded)
    channels.push({ name: 'expanded', weight: w.expanded, hits: (await expanded).filter(pass).slice(0, pool) });
  // Everything that meets the constraints, most popular first: the whole answer when the query is
  // all constraints, and a weak prior otherwise.
  if (!text && !intent.like.length) {
    // Only a page plus the diversity window is needed, so the scan stops early on broad constraints.
    channels.push({ name: 'browse', weight: 1, hits: browse(catalog, c, candidates.rank, options.depth + 30) });
  } else if (options.mode === 'hybrid') {
    // With words or an anchor, popularity is only a prior on what the other channels found: it
    // re-orders matches but never brings in a title that matched nothing.
    const found = new Set(channels.flatMap((ch) => ch.hits.map((h) => h.id)));
    const hits = [...found]
      .map((id) => ({ id, score: catalog.entries.get(id)?.popularity ?? 0 }))
      .sort((a, b) => b.score - a.score);
    // After "like X" the anchor's neighbours matter more than their fame: the prior stays weak there.
    channels.push({ name: 'browse', weight: intent.like.length ? Math.min(w.browse, 1) : w.browse, hits });
  }
  const fusionStarted = performance.now();
  const anchorIds = new Set(intent.like.map((l) => l.titleId).filter(Boolean));
  const fused = fuse(channels, options.fusion);
  for (const id of anchorIds) fused.delete(id as string);
  // Words that are nothing but a person's name ("tom cruise", with "action" read as a genre) ask for their titles:
  // those come first, in the fused order, and the other matches follow (the credits miss some of their titles).
  if (byPerson.length && !catalog.exactTitle(text) && named.some((p) => p.words === text)) {
    let top = 0;
    for (const v of fused.values()) top = Math.max(top, v.score);
    for (const h of byPerson) {
      const cur = fused.get(h.id);
      if (cur) fused.set(h.id, { score: top + cur.score, from: cur.from });
    }
  }
  // Typing a title's exact name is a lookup: it comes first, whatever the popularity prior says.
  const typed = text || options.name;
  const exact = typed && options.mode !== 'vector' ? catalog.exactTitle(typed) : undefined;
  if (exact && ok(exact) && !anchorIds.has(exact.id)) {
    let top = 0;
    let first: string | undefined;
    for (const [id, v] of fused)
      if (v.score > top) {
        top = v.score;
        first = id;
      }
    // A word read as a constraint asked for the constraint first: a film called "Action" comes first only when it is
    // as popular as the action film that would (eval:search's "action" fell from 0.805 to 0.398 when it always did).
    const leads = !!text || first === undefined || exact.popularity >= (catalog.entries.get(first)?.popularity ?? 0);
    const cur = fused.get(exact.id);
    if (leads) fused.set(exact.id, { score: top + 1, from: cur?.from ?? new Set(['title']) });
  }
  const ranked = wordsLastWhenOnlyStemmed(
    [...fused.entries()]
      .map(([id, v]) => ({ id, score: v.score, from: v.from }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)),
    catalog,
    text,
  );
  if (!options.diversify || ranked.length < 3) {
    observe?.('fusion', since(fusionStarted));
    return ranked.slice(0, options.depth);
  }
  // Variety is picked among a fixed head of the fused order, whatever the depth asked: greedy picks from the same
  // titles come in the same order, so page 2 continues page 1 (a window that grew with the depth let a title seen
  // on one page come back on the next). Below the head the fused order follows.
  const head = ranked.slice(0, DIVERSE_WINDOW);
  const diverse = await diversify(head, deps, Math.min(options.depth, head.length));
  // A list deeper than the head has every head title picked, so the rest is simply what follows it.
  const out = options.depth <= head.length ? diverse : [...diverse, ...ranked.slice(head.length, options.depth)];
  observe?.('fusion', since(fusionStarted));
  return out;
}

/** How far down the fused order a full-text match is checked for the typed words: twice diversification's window. */
const WHOLE_WORD_CHECK = 62;

/**
 * The full-text stemmer joins names that are not the same word: "harry" and "Harris" are both `harri`, so "harry
 * potter movies" listed Lincoln (Jared Harris) and Remember the Titans (Wood Harris). A title that only the full text
 * found, and that holds none of the typed words as a whole word in its title, credits or description, moves below
 * the titles that do; it is not dropped, as the stemmer also joins real forms of a word.
 */
function wordsLastWhenOnlyStemmed(ranked: Ranked[], catalog: TitleCatalog, text: string): Ranked[] {
  if (!text) return ranked;
  const terms = contentTerms(text);
  if (terms.length === 0) return ranked;
  const head = ranked.slice(0, WHOLE_WORD_CHECK);
  const late: Ranked[] = [];
  const kept: Ranked[] = [];
  for (const r of head) {
    const onlyText = !r.from.has('title') && !r.from.has('vector') && !r.from.has('person') && !r.from.has('genres');
    const e = onlyText && r.from.has('lexical') ? catalog.entries.get(r.id) : undefined;
    if (e && !holdsAnyWord(e, terms)) late.push(r);
    else kept.push(r);
  }
  if (late.length === 0) return ranked;
  return [...kept, ...late, ...ranked.slice(head.length)];
}

/**
 * The vector channel's least depth (the other channels' is 200). For a first page its deep hits are weak meaning
 * matches that the popularity re-sort and the browse prior lift over better ones: eval:search scored the first
 * page higher with 150 (tuning 0.1611 → 0.1698, held out 0.1673 → 0.1695) and with 100 (0.1695 / 0.1685), while
 * eval:search-personal's plain search kept its figure at 150 (0.1495 against 0.1499) and lost at 100 (0.1376).
 * usearch's cost grows with the depth. Deeper pages and personal pools still reach twice their depth.
 */
const VECTOR_POOL_FLOOR = 150;

/**
 * With a selective constraint (a service, a genre, a person) whose titles number at most this, the vector
 * channel compares the query with each of them instead of searching the graph: most graph neighbours fail such
 * a filter, and asking for 5× more of them cost ~4 ms, where an exact pass over 4,000 titles costs about one.
 */
const EXACT_VECTOR_SCAN = 8_000;

/** Titles diversification picks among: the first page's window of before (10 results, one more, and 20). */
const DIVERSE_WINDOW = 31;

/**
 * How many of the most popular titles the genre channel of "like X" reads: all of a 30k catalog, and at a million
 * titles a bounded scan (the whole one cost a full pass per query) whose tail the popularity prior would not lift
 * into a first page anyway.
 */
const GENRE_SCAN = 50_000;

/** Titles sharing the most genres with the anchors, then most popular: "like X" beside (or without) vectors. */
function genreNeighbours(
  catalog: TitleCatalog,
  anchorIds: string[],
  okAt: (rank: number) => boolean,
  limit: number,
): Scored[] {
  const anchors = anchorIds.map((id) => catalog.entries.get(id)).filter((e): e is CatalogEntry => !!e);
  const genres = [...new Set(anchors.flatMap((e) => e.genres))];
  if (genres.length === 0) return [];
  // X's kind counts as one more shared facet: "like The Office" (a comedy series) wants comedy series before the
  // comedy films that share its genres and are better known.
  const kinds = [...new Set(anchors.map((e) => e.kind))];
  // Read off the genre bitsets (positions in popularity order), not the entries: one list per overlap (1 … all of
  // X's genres), each in popularity order and full at `limit`. The answer is the lists from the largest overlap
  // down, with no sort; the constraints are checked only for a title that could still enter, and once the list of
  // titles sharing every genre is full, nothing later can enter.
  const genreBits = genres.map((g) => catalog.facet(`genre:${g}`));
  const bits = [...genreBits, ...kinds.map((k) => catalog.facet(`kind:${k}`))];
  const byShared: number[][] = Array.from({ length: bits.length + 1 }, () => []);
  const full = byShared[bits.length]!;
  const words = Math.ceil(Math.min(catalog.byPopularity.length, GENRE_SCAN) / 32);
  for (let w = 0; w < words && full.length < limit; w++) {
    // A candidate shares at least one genre: the kind alone (any series, for a series) is no likeness.
    let any = 0;
    for (const b of genreBits) any |= b[w]!;
    while (any !== 0) {
      const bit = 31 - Math.clz32(any & -any);
      any &= any - 1;
      let shared = 0;
      for (const b of bits) shared += (b[w]! >>> bit) & 1;
      const list = byShared[shared]!;
      const r = w * 32 + bit;
      if (list.length < limit && okAt(r) && !anchorIds.includes(catalog.byPopularity[r]!.id)) list.push(r);
    }
  }
  const hits: Scored[] = [];
  for (let shared = bits.length; shared > 0 && hits.length < limit; shared--)
    for (const r of byShared[shared]!) {
      if (hits.length >= limit) break;
      hits.push({ id: catalog.byPopularity[r]!.id, score: shared });
    }
  return hits;
}

/**
 * Everything that meets the constraints, most popular first (the answer to an all-constraints query).
 * Scans only the titles of the most selective required genre / type / service / person list (in
 * popularity order), not the whole catalog; the predicate still decides, so the answer is the same.
 */
function browse(catalog: TitleCatalog, c: Constraints, okAt: (rank: number) => boolean, limit: number): Scored[] {
  const hits: Scored[] = [];
  const ranks = narrowestCandidates(c, catalog);
  const all = catalog.byPopularity;
  const n = ranks ? ranks.length : all.length;
  const { countries, languages } = c.intent;
  const byOrigin = countries.length > 0;
  for (let i = 0; i < n; i++) {
    // By position: a title that fails its constraint bitsets is never read.
    const r = ranks ? ranks[i]! : i;
    if (!okAt(r)) continue;
    const e = all[r]!;
    if (!byOrigin) {
      hits.push({ id: e.id, score: e.popularity });
      if (hits.length >= limit) break;
      continue;
    }
    // A country's titles: the exact top `limit` by popularity × origin share, whatever the depth asked, so every
    // page is cut from the same order. The share is at most 1, so once a title's popularity cannot beat the last
    // kept score, no later (less popular) title can: stop there. An earlier title wins a tie.
    if (hits.length >= limit && e.popularity <= hits[limit - 1]!.score) break;
    const score = e.popularity * originShare(e, countries, languages);
    let at = hits.length;
    while (at > 0 && hits[at - 1]!.score < score) at--;
    if (at < limit) {
      hits.splice(at, 0, { id: e.id, score });
      if (hits.length > limit) hits.pop();
    }
  }
  return hits;
}

/**
 * The titles of anyone whose full name (two or three words in a row) is in the free words, most popular first: "tom
 * cruise action" had ranked Tom Hardy's and Tom Hanks's films among his, since the words match alone. A ranking
 * channel beside the words, not a filter: as a filter it lost the titles the credits miss (eval:search 0.1698 →
 * 0.1660).
 */
function personHits(
  catalog: TitleCatalog,
  named: ReadonlyArray<{ titles: Set<string> }>,
  pass: (h: Scored) => boolean,
  limit: number,
): Scored[] {
  const ids = new Set<string>();
  for (const person of named) for (const id of person.titles) ids.add(id);
  const hits: Scored[] = [];
  for (const id of ids) {
    const h = { id, score: catalog.entries.get(id)?.popularity ?? 0 };
    if (pass(h)) hits.push(h);
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

/**
 * People whose full name is two or three words in a row of the text, and their titles: two titles or more, or one
 * when the name is the whole text.
 */
export function peopleNamedIn(
  catalog: TitleCatalog,
  text: string,
): Array<{ name: string; words: string; titles: Set<string> }> {
  const words = text.split(' ');
  const out: Array<{ name: string; words: string; titles: Set<string> }> = [];
  for (let n = 2; n <= 3; n++)
    for (let i = 0; i + n <= words.length; i++) {
      const said = words.slice(i, i + n).join(' ');
      const titles = catalog.titlesOf(said, 'any');
      // A name that is the whole text is asked for; inside longer text, one title could be a chance pair of words.
      if (titles.size >= (said === text ? 1 : 2))
        out.push({ name: catalog.findPerson(said, 'any')?.name ?? said, words: said, titles });
    }
  return out;
}

/**
 * "spanish movies" listed The Bourne Ultimatum first: it is popular, and Spain is one of its four production countries.
 * A title from the asked country alone, or in the asked language (a Mexican film in Spanish), keeps its popularity; a
 * co-production keeps half of it plus half in proportion to the asked country's share of its countries. A title with
 * no countries known met the filter by its language and keeps its popularity.
 */
function originShare(e: CatalogEntry, countries: readonly string[], languages: readonly string[]): number {
  if (e.countries.length === 0 || languages.some((l) => e.languages.includes(l))) return 1;
  const from = e.countries.filter((x) => countries.includes(x)).length;
  return 0.5 + (0.5 * from) / e.countries.length;
}

/**
 * Maximal marginal relevance (λ = 0.85) over the top of the list, so near-duplicates (sequels,
 * the same show under two names) do not fill a page. Uses the embedder's document vectors.
 * Only the first `picks` are chosen (the rest of the list is cut off anyway): each pick costs a
 * similarity per remaining candidate, and the last ones cost as much as the first.
 */
async function diversify(list: Ranked[], deps: RankDeps, picks: number): Promise<Ranked[]> {
  const index = deps.vectors;
  if (!index) return list;
  // A title without a vector (row -1: the embedder knew none of its words) is like nothing else on the page.
  const rows = list.map((r) => index.vectors.row(r.id));
  const top = list[0]!.score || 1;
  const chosen: number[] = [];
  const left = new Set(list.keys());
  // Highest similarity of each candidate to anything chosen so far, updated once per pick (O(n²)).
  const maxSim = new Float64Array(list.length);
  while (left.size && chosen.length < picks) {
    let best = -1;
    let bestVal = Number.NEGATIVE_INFINITY;
    for (const i of left) {
      const val = 0.85 * (list[i]!.score / top) - 0.15 * maxSim[i]!;
      if (val > bestVal) {
        bestVal = val;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
    const picked = rows[best]!;
    if (picked >= 0)
      for (const i of left)
        if (rows[i]! >= 0) maxSim[i] = Math.max(maxSim[i]!, index.vectors.dotRows(rows[i]!, picked));
  }
  return chosen.map((i) => list[i]!);
}
