import { DEFAULT_STALENESS, SAMPLE_SOURCE, type StalenessPolicy, staleAfterDays } from '@media-gateway/catalog';
import type { Queryable } from '@media-gateway/db';
import { type Clock, normalizeTitle, systemClock } from '@media-gateway/domain';
import MiniSearch from 'minisearch';
import type { CatalogLookup } from '../understand/intent.ts';
import { namesTitle } from './name-coverage.ts';
import { isTitleId, titleKey } from './title-key.ts';

/** The fields search keeps in memory per title: enough for look-ups, suggestions and embeddings. */
export interface CatalogEntry {
  id: string;
  kind: 'movie' | 'series';
  title: string;
  year: number | null;
  popularity: number;
  genres: string[];
  directors: string[];
  cast: string[];
  creators: string[];
  countries: string[];
  languages: string[];
  description: string;
  runtime: number | null;
  minAge: number | null;
  seasons: number | null;
  maturityLabel: string | null;
  /** normalizeTitle(title), kept for prefix suggestions. */
  norm?: string;
  /** region → platform ids with an offer (loaded from `offers`, refreshed from events). */
  offers: Map<string, Set<string>>;
  /** The offers themselves, as stored (links are never built here). */
  offerList: StoredOffer[];
  /** Some offer has an end date, so availability must be re-checked against the clock. */
  hasEndDates?: boolean;
  /** Position in `TitleCatalog.byPopularity` when it was last sorted (see `TitleCatalog.rankOf`). */
  rank?: number;
}

export interface StoredOffer {
  platform: string;
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  /** Null when there is no link (`urlKind` none, decision 0073). */
  url: string | null;
  urlKind: 'direct' | 'search' | 'none';
  /** The name a source reported, for a provider the registry does not know. */
  reportedName: string | null;
  until: number | null;
  /** When the source saw it (ms); null when it never said. */
  seenAt: number | null;
  /** From the bundled sample catalog (shown as such). */
  sample: boolean;
  /** Days it may go unconfirmed before it shows as stale (by its source's kind, live API or file). */
  staleDays: number;
}

export const ENTRY_SQL = `SELECT id, kind, title, year, coalesce(popularity, 0)::float8 AS popularity, genres,
  directors, cast_members, creators, countries, languages, coalesce(description, '') AS description,
  runtime_minutes, maturity_min_age, seasons, maturity_label FROM titles`;

// Every offer, ended ones included: whether an end date has passed is decided per search against
// the service's clock (filters.ts, results.ts), never by the database's own now().
const OFFER_SQL = `SELECT o.title_id, o.region, o.platform, o.monetization, o.price, o.currency, o.web_url, o.url_kind,
  o.available_until, o.seen_at, o.source, p.name AS provider_name
  FROM offers o LEFT JOIN providers p ON p.id = o.platform WHERE true`;

export function toEntry(r: Record<string, unknown>): CatalogEntry {
  return {
    id: r['id'] as string,
    kind: r['kind'] as 'movie' | 'series',
    title: r['title'] as string,
    year: (r['year'] as number | null) ?? null,
    popularity: Number(r['popularity'] ?? 0),
    genres: r['genres'] as string[],
    directors: r['directors'] as string[],
    cast: r['cast_members'] as string[],
    creators: r['creators'] as string[],
    countries: r['countries'] as string[],
    languages: r['languages'] as string[],
    description: r['description'] as string,
    runtime: (r['runtime_minutes'] as number | null) ?? null,
    minAge: (r['maturity_min_age'] as number | null) ?? null,
    seasons: (r['seasons'] as number | null) ?? null,
    maturityLabel: (r['maturity_label'] as string | null) ?? null,
    offers: new Map(),
    offerList: [],
  };
}

/** Accent-free lower-case form used for people names. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface PersonStat {
  name: string;
  director: number;
  cast: number;
  directed: Set<string>;
  acted: Set<string>;
}

/**
 * In-memory view of the catalog for query understanding and as-you-type suggestions: a MiniSearch
 * index over titles (prefix + typo tolerance) and a people table. It follows `catalog_events`, so
 * it stays current without a rebuild (see refresh()).
 */
export class TitleCatalog implements CatalogLookup {
  readonly entries = new Map<string, CatalogEntry>();
  private readonly people = new Map<string, PersonStat>();
  private readonly surnames = new Map<string, PersonStat[]>();
  private readonly byNorm = new Map<string, CatalogEntry>();
  /** How many titles hold each word of their normalised name (see `titleQuery`). */
  private readonly wordTitles = new Map<string, number>();
  /** `isKnownWord`'s answers since the catalog last changed (each one a scan of the descriptions). */
  private readonly knownWords = new Map<string, boolean>();
  private readonly titles = new MiniSearch<{ id: string; title: string }>({
    fields: ['title'],
    storeFields: [],
    searchOptions: { prefix: true, fuzzy: 0.2 },
  });
  private maxYear = 0;
  lastSeq = 0;

  /**
   * `staleness`: how long offers may go unconfirmed, by source kind (MG_STALE_AFTER_DAYS_*). `clock`: what year it is,
   * so an announced title's future year does not become the catalog's newest.
   */
  constructor(
    private readonly staleness: StalenessPolicy = DEFAULT_STALENESS,
    private readonly clock: Clock = systemClock(),
  ) {}

  static async load(
    db: Queryable,
    staleness: StalenessPolicy = DEFAULT_STALENESS,
    clock: Clock = systemClock(),
  ): Promise<TitleCatalog> {
    const cat = new TitleCatalog(staleness, clock);
    const seq = await db.query<{ s: string | null }>('SELECT max(seq)::text AS s FROM catalog_events');
    cat.lastSeq = Number(seq.rows[0]?.s ?? 0);
    const rows = await db.query(ENTRY_SQL);
    for (const r of rows.rows) cat.upsert(toEntry(r));
    await cat.loadOffers(db);
    cat.sortByPopularity();
    return cat;
  }

  /** Applies catalog changes since the last refresh; returns the ids that changed. */
  async refresh(db: Queryable): Promise<string[]> {
    const ev = await db.query<{ title_id: string; seq: string }>(
      'SELECT DISTINCT title_id, max(seq)::text AS seq FROM catalog_events WHERE seq > $1 GROUP BY title_id',
      [this.lastSeq],
    );
    if (ev.rows.length === 0) return [];
    const ids = ev.rows.map((r) => r.title_id);
    const rows = await db.query(`${ENTRY_SQL} WHERE id = ANY($1)`, [ids]);
    for (const r of rows.rows) this.upsert(toEntry(r));
    await this.loadOffers(db, ids);
    this.sortByPopularity();
    this.lastSeq = Math.max(this.lastSeq, ...ev.rows.map((r) => Number(r.seq)));
    return ids;
  }

  /** Titles most popular first: the browse order when a query is all constraints. */
  byPopularity: CatalogEntry[] = [];
  private rankById = new Map<string, number>();
  /** Title facets as bitsets over positions in `byPopularity` (see `facet`); built on first use after a change. */
  private facets: Map<string, Uint32Array> | undefined;
  /** Cached lists named by the caller (see `popularityBits`): a bitset, and the positions once asked for. */
  private readonly lists = new Map<string, { bits: Uint32Array; ranks?: Int32Array }>();
  /**
   * Counts changes to the entries, their offers or their order. What was derived from the catalog at one
   * version (facets, cached lists, a compiled constraint's bitsets) describes it only while this stays the same.
   */
  version = 0;
  /** The version `byPopularity` was sorted at: while it is the current one, every entry has its place there. */
  private sortedVersion = -1;

  private changed(): void {
    this.version++;
    this.facets = undefined;
    this.lists.clear();
    this.knownWords.clear();
  }

  /** Orders `byPopularity` (load and refresh do it; a catalog filled by `upsert` alone calls it once filled). */
  sortByPopularity(): void {
    this.byPopularity = [...this.entries.values()].sort(
      // Titles no source gave a popularity figure (the sample catalog, file-only titles) follow, newest first: an
      // order people can read, where the id had been an arbitrary one.
      (a, b) =>
        b.popularity - a.popularity ||
        (a.popularity === 0 ? (b.year ?? 0) - (a.year ?? 0) : 0) ||
        a.id.localeCompare(b.id),
    );
    this.byPopularity.forEach((e, i) => {
      e.rank = i;
    });
    this.rankById = new Map(this.byPopularity.map((e, i) => [e.id, i]));
    this.rankByKey = undefined;
    this.changed();
    this.sortedVersion = this.version;
  }

  /**
   * The entry's position in `byPopularity`; undefined for an entry added or replaced since the last sort
   * (a refresh in progress), which no cached list covers yet.
   */
  rankOf(e: CatalogEntry): number | undefined {
    const r = e.rank;
    return r !== undefined && this.byPopularity[r] === e ? r : undefined;
  }

  /**
   * The position in `byPopularity` of the current entry of `id` (`entries.get(id)`), without reading the entry;
   * undefined for an unknown id, and for every id while a refresh is in progress (entries not sorted yet).
   */
  rankOfId(id: string): number | undefined {
    return this.version === this.sortedVersion ? this.rankById.get(id) : undefined;
  }

  /** Position in `byPopularity` by vector index key (`titleKey`), built on first use after each sort. */
  private rankByKey: Map<bigint, number> | undefined;

  /**
   * `rankOfId(keyTitle(key))` without making the id: a BigInt key is found ~7× faster than a new string
   * (measured), and the vector channel checks up to 1,000 keys a search. An id that does not round-trip
   * through its key (not as minted) is left out of the map (undefined: the caller goes by the id).
   */
  rankOfKey(key: bigint): number | undefined {
    if (this.version !== this.sortedVersion) return undefined;
    if (!this.rankByKey) {
      const byKey = new Map<bigint, number>();
      this.byPopularity.forEach((e, i) => {
        if (isTitleId(e.id)) byKey.set(titleKey(e.id), i);
      });
      this.rankByKey = byKey;
    }
    return this.rankByKey.get(key);
  }

  /**
   * The titles with a facet, as a bitset over positions in `byPopularity` (bit r set: the title at r has it):
   * `kind:<movie|series>`, `genre:<slug>`, `region:<CC>` (an offer there), `offer:<CC>:<platform>`, `ending`
   * (an offer with an end date). All are built in one pass over the catalog on first use after a change: a
   * bitset read costs far less than the entry fields it stands for, which are scattered in memory.
   */
  facet(name: string): Uint32Array {
    this.facets ??= this.buildFacets();
    return this.facets.get(name) ?? new Uint32Array(bitsetWords(this.byPopularity.length));
  }

  private buildFacets(): Map<string, Uint32Array> {
    const words = bitsetWords(this.byPopularity.length);
    const facets = new Map<string, Uint32Array>();
    const add = (name: string, r: number) => {
      let bits = facets.get(name);
      if (!bits) {
        bits = new Uint32Array(words);
        facets.set(name, bits);
      }
      bits[r >>> 5]! |= 1 << (r & 31);
    };
    this.byPopularity.forEach((e, r) => {
      add(`kind:${e.kind}`, r);
      for (const g of e.genres) add(`genre:${g}`, r);
      for (const [region, platforms] of e.offers) {
        if (platforms.size > 0) add(`region:${region}`, r);
        for (const p of platforms) add(`offer:${region}:${p}`, r);
      }
      if (e.hasEndDates) add('ending', r);
    });
    return facets;
  }

  /**
   * A bitset over positions in `byPopularity` made by `build` (from facets), kept under `key` until the
   * catalog changes. The caller names what `build` makes by the key.
   */
  popularityBits(key: string, build: () => Uint32Array): Uint32Array {
    return this.cachedList(key, build).bits;
  }

  /** The same list as positions in `byPopularity` (ascending, so most popular first). */
  popularityList(key: string, build: () => Uint32Array): Int32Array {
    const list = this.cachedList(key, build);
    list.ranks ??= bitPositions(list.bits);
    return list.ranks;
  }

  private cachedList(key: string, build: () => Uint32Array): { bits: Uint32Array; ranks?: Int32Array } {
    let list = this.lists.get(key);
    if (!list) {
      list = { bits: build() };
      if (this.lists.size >= 500) this.lists.clear();
      this.lists.set(key, list);
    }
    return list;
  }

  /** Positions in `byPopularity` of the given ids (unknown ids left out), ascending. */
  popularityRanks(ids: Iterable<string>): Int32Array {
    const out: number[] = [];
    for (const id of ids) {
      const r = this.rankById.get(id);
      if (r !== undefined) out.push(r);
    }
    return Int32Array.from(out).sort();
  }

  private async loadOffers(db: Queryable, ids?: string[]): Promise<void> {
    const res = await db.query<{
      title_id: string;
      region: string;
      platform: string;
      monetization: string;
      price: number | null;
      currency: string | null;
      web_url: string | null;
      url_kind: 'direct' | 'search' | 'none';
      available_until: Date | null;
      seen_at: Date | null;
      source: string;
      provider_name: string | null;
    }>(
      ids
        ? `${OFFER_SQL} AND o.title_id = ANY($1::text[]) ORDER BY o.platform, o.monetization`
        : `${OFFER_SQL} ORDER BY o.platform, o.monetization`,
      ids ? [ids] : [],
    );
    // Offers change in place (a removed title keeps its entry): lists of available titles are out of date.
    this.changed();
    for (const id of ids ?? []) {
      const e = this.entries.get(id);
      if (e) {
        e.offers = new Map();
        e.offerList = [];
        e.hasEndDates = false;
      }
    }
    for (const r of res.rows) {
      const e = this.entries.get(r.title_id);
      if (!e) continue;
      e.offerList.push({
        platform: r.platform,
        region: r.region,
        monetization: r.monetization,
        price: r.price,
        currency: r.currency,
        url: r.web_url,
        urlKind: r.url_kind,
        reportedName: r.provider_name,
        until: r.available_until ? r.available_until.getTime() : null,
        seenAt: r.seen_at ? r.seen_at.getTime() : null,
        sample: r.source === SAMPLE_SOURCE,
        staleDays: staleAfterDays(r.source, this.staleness),
      });
      if (r.available_until) e.hasEndDates = true;
      let set = e.offers.get(r.region);
      if (!set) {
        set = new Set();
        e.offers.set(r.region, set);
      }
      set.add(r.platform);
    }
  }

  upsert(e: CatalogEntry): void {
    this.starts = undefined;
    this.changed();
    const old = this.entries.get(e.id);
    if (old) {
      this.titles.discard(e.id);
      e.offers = old.offers;
      e.offerList = old.offerList;
      e.hasEndDates = old.hasEndDates ?? false;
    }
    this.entries.set(e.id, e);
    this.titles.add({ id: e.id, title: e.title });
    const norm = normalizeTitle(e.title);
    if (old) this.countWords(old.norm ?? normalizeTitle(old.title), -1);
    this.countWords(norm, 1);
    e.norm = norm;
    const prev = this.byNorm.get(norm);
    if (!prev || prev.popularity < e.popularity) this.byNorm.set(norm, e);
    if (e.year && e.year > this.maxYear && e.year <= this.currentYear()) this.maxYear = e.year;
    if (old) {
      // Unlink the previous credits so a changed cast or director list is filtered correctly.
      for (const [names, role] of [
        [old.directors, 'director'],
        [[...old.cast, ...old.creators], 'cast'],
      ] as const) {
        for (const name of names) {
          const p = this.people.get(foldName(name));
          const set = p && (role === 'director' ? p.directed : p.acted);
          if (p && set?.delete(e.id)) p[role]--;
        }
      }
    }
    const add = (name: string, role: 'director' | 'cast') => {
      const key = foldName(name);
      if (!key) return;
      let p = this.people.get(key);
      if (!p) {
        p = { name, director: 0, cast: 0, directed: new Set(), acted: new Set() };
        this.people.set(key, p);
        const last = key.split(' ').at(-1)!;
        const list = this.surnames.get(last) ?? [];
        list.push(p);
        this.surnames.set(last, list);
      }
      const set = role === 'director' ? p.directed : p.acted;
      if (!set.has(e.id)) {
        set.add(e.id);
        p[role]++;
      }
    };
    for (const d of e.directors) add(d, 'director');
    for (const c of [...e.cast, ...e.creators]) add(c, 'cast');
  }

  /** Ids of the titles a person (exact catalog spelling, folded) directed or appears in. */
  titlesOf(name: string, role: 'director' | 'cast' | 'any'): Set<string> {
    const p = this.people.get(foldName(name));
    if (!p) return new Set();
    if (role === 'director') return p.directed;
    if (role === 'cast') return p.acted;
    return new Set([...p.directed, ...p.acted]);
  }

  get size(): number {
    return this.entries.size;
  }

  private currentYear(): number {
    return new Date(this.clock.now()).getUTCFullYear();
  }

  newestYear(): number {
    return this.maxYear || this.currentYear();
  }

  findPerson(
    name: string,
    role: 'director' | 'cast' | 'any',
  ): { name: string; role: 'director' | 'cast' | 'any' } | undefined {
    const key = foldName(name);
    if (!key) return undefined;
    const pick = (p: PersonStat) => {
      if (role === 'director') return p.director > 0 ? { name: p.name, role: 'director' as const } : undefined;
      if (role === 'cast')
        return p.cast > 0 ? { name: p.name, role: 'cast' as const } : { name: p.name, role: 'any' as const };
      return { name: p.name, role: 'any' as const };
    };
    const exact = this.people.get(key);
    if (exact) return pick(exact);
    // A surname alone ("directed by nolan"): the person with that surname and the most titles in the role.
    if (key.includes(' ') || key.length < 4) return undefined;
    const list = (this.surnames.get(key) ?? []).filter(
      (p) => (role === 'director' ? p.director : p.cast + p.director) >= 2,
    );
    const best = list.sort((a, b) => (role === 'director' ? b.director - a.director : b.cast - a.cast))[0];
    return best ? pick(best) : undefined;
  }

  /** The (most popular) title whose normalised name is exactly the text, if any. */
  exactTitle(text: string): CatalogEntry | undefined {
    const norm = normalizeTitle(text);
    return norm ? this.byNorm.get(norm) : undefined;
  }

  isExactTitle(text: string): boolean {
    return this.exactTitle(text) !== undefined;
  }

  /**
   * The title a name typed for it stands for ("like inceptoin"): the exact name, else the best of the titles holding
   * all the typed words (typos allowed) whose name the words cover (`namesTitle`), by match and popularity. Undefined
   * when no title is named well enough: an anchor is reported, not guessed (SPEC Q13).
   */
  findTitle(text: string): { id: string; title: string; year: number | null } | undefined {
    const norm = normalizeTitle(text);
    if (!norm) return undefined;
    const exact = this.byNorm.get(norm);
    if (exact) return { id: exact.id, title: exact.title, year: exact.year };
    const typed = norm.split(' ');
    const hits = this.titles.search(this.titleQuery(norm), {
      combineWith: 'AND',
      prefix: (t) => t.length > 3,
      fuzzy: (t) => (t.length > 4 ? 0.2 : 0),
    });
    const named: Array<{ score: number; e: CatalogEntry }> = [];
    // Best match first; the cut bounds the cost when many titles hold the words ("the man").
    for (const h of hits.slice(0, TITLE_HITS_READ)) {
      const e = this.entries.get(h.id as string);
      if (e && namesTitle(typed, e.title)) named.push({ score: h.score, e });
      if (named.length === 10) break;
    }
    const top = named.sort((a, b) => b.score * (1 + b.e.popularity / 10) - a.score * (1 + a.e.popularity / 10))[0];
    return top ? { id: top.e.id, title: top.e.title, year: top.e.year } : undefined;
  }

  /**
   * Title suggestions for as-you-type input: titles whose name, or any word-start within it, begins
   * with the text (binary search over a sorted list), popular first; typo-tolerant matching only
   * when that finds too few. MiniSearch prefix expansion of 1–3 letters was measured at 20+ ms.
   */
  suggest(q: string, limit = 8): Array<{ id: string; title: string; year: number | null; type: 'movie' | 'series' }> {
    const norm = normalizeTitle(q);
    if (!norm) return [];
    const starts = this.prefixIndex();
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] < norm) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Map<string, { e: CatalogEntry; whole: boolean }>();
    for (let i = lo; i < starts.length && i < lo + 5000 && starts[i]![0].startsWith(norm); i++) {
      const e = starts[i]![1];
      const whole = starts[i]![0] === e.norm;
      const prev = seen.get(e.id);
      if (!prev || (whole && !prev.whole)) seen.set(e.id, { e, whole });
    }
    const ranked = [...seen.values()]
      .sort((a, b) => Number(b.whole) - Number(a.whole) || b.e.popularity - a.e.popularity)
      .map((x) => x.e);
    if (ranked.length < limit && norm.length >= 4) {
      for (const h of this.titles
        .search(this.titleQuery(norm), { combineWith: 'AND', prefix: true, fuzzy: (t) => (t.length > 4 ? 0.2 : 0) })
        .slice(0, 50)) {
        const e = this.entries.get(h.id as string);
        if (e && !seen.has(e.id)) {
          ranked.push(e);
          seen.set(e.id, { e, whole: false });
        }
      }
    }
    return ranked.slice(0, limit).map((e) => ({ id: e.id, title: e.title, year: e.year, type: e.kind }));
  }

  /** Typo-tolerant title matches for free text (the search's title channel). */
  matchTitles(text: string, limit: number): string[] {
    const norm = normalizeTitle(text);
    if (!norm) return [];
    const query = this.titleQuery(norm);
    const prefix = (t: string) => t.length > 3;
    // Typo tolerance only when the words as typed (and as prefixes) match no title: the fuzzy walk of the
    // vocabulary was most of the channel's cost, and a query whose words all appear together needs no repair.
    let hits = this.titles.search(query, { combineWith: 'AND', prefix, fuzzy: false });
    if (hits.length === 0)
      hits = this.titles.search(query, { combineWith: 'AND', prefix, fuzzy: (t) => (t.length > 4 ? 0.2 : 0) });
    return hits
      .slice(0, 50)
      .map((h) => this.entries.get(h.id as string)!)
      .filter(Boolean)
      .map((e, i) => ({ e, s: (50 - i) * (1 + e.popularity / 10) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, limit)
      .map(({ e }) => e.id);
  }

  /**
   * The words of a title search, without those in more than `COMMON_WORD_SHARE` of titles while rarer ones
   * remain. MiniSearch's AND scores every title that holds each word, so "the professor and the madman" read
   * thousands of titles for "the" and "and" (~15 ms; 0.6 ms without them). The rarer words still all match,
   * and a search of only common words ("the man") keeps them.
   */
  titleQuery(norm: string): string {
    const words = norm.split(' ');
    const most = Math.max(MIN_COMMON_WORD_TITLES, this.entries.size * COMMON_WORD_SHARE);
    const kept = words.filter((w) => (this.wordTitles.get(w) ?? 0) <= most);
    return kept.length === 0 || kept.length === words.length ? norm : kept.join(' ');
  }

  private countWords(norm: string, delta: 1 | -1): void {
    for (const w of new Set(norm.split(' '))) {
      if (!w) continue;
      const n = (this.wordTitles.get(w) ?? 0) + delta;
      if (n > 0) this.wordTitles.set(w, n);
      else this.wordTitles.delete(w);
    }
  }

  /**
   * Whether the word is in a title's name, or in the descriptions of at least `KNOWN_WORD_TITLES` titles: a word the
   * catalog uses is a real word ("prime", "thrilled"), or a title's, so the query rules never read it as a typo.
   * The descriptions are scanned only for a word that could be a typo (~20 ms at 30k titles when none holds it;
   * a real word is found in the first few), and the answer is kept until the catalog changes: counting every
   * description's words as titles are loaded would cost a third more on each load, for a question rarely asked.
   */
  isKnownWord(word: string): boolean {
    if (this.wordTitles.has(word)) return true;
    let known = this.knownWords.get(word);
    if (known === undefined) {
      known = this.descriptionsWith(word, KNOWN_WORD_TITLES) >= KNOWN_WORD_TITLES;
      if (this.knownWords.size >= 1000) this.knownWords.clear();
      this.knownWords.set(word, known);
    }
    return known;
  }

  /** How many descriptions hold the word (any case), counting up to `enough`. */
  private descriptionsWith(word: string, enough: number): number {
    const re = new RegExp(`\\b${word.replace(/[^\p{L}\p{N}]/gu, '')}\\b`, 'iu');
    let n = 0;
    for (const e of this.entries.values()) if (re.test(e.description) && ++n >= enough) break;
    return n;
  }

  private starts: Array<[string, CatalogEntry]> | undefined;

  /** Every word-start suffix of every normalised title, sorted; rebuilt lazily after changes. */
  private prefixIndex(): Array<[string, CatalogEntry]> {
    if (this.starts) return this.starts;
    const out: Array<[string, CatalogEntry]> = [];
    for (const e of this.entries.values()) {
      const n = e.norm ?? '';
      out.push([n, e]);
      for (let i = n.indexOf(' '); i >= 0; i = n.indexOf(' ', i + 1)) out.push([n.slice(i + 1), e]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.starts = out;
    return out;
  }
}

/** A word in this many titles' descriptions is a real word, not a typo (one description may hold the typo itself). */
const KNOWN_WORD_TITLES = 2;

/** How many title-search hits `findTitle` reads for one that the typed words name. */
const TITLE_HITS_READ = 200;

/** A word in more than this share of titles is left out of a title search while rarer words remain. */
const COMMON_WORD_SHARE = 0.01;
/** …and in a small catalog, one in more than this many titles. */
const MIN_COMMON_WORD_TITLES = 50;

/** 32-bit words of a bitset over `n` titles. */
function bitsetWords(n: number): number {
  return Math.ceil(n / 32);
}

/** The set bits' positions, ascending. */
function bitPositions(bits: Uint32Array): Int32Array {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    // Lowest set bit first: x & -x isolates it, clz32 finds where it is.
    for (let x = bits[w]!; x !== 0; x &= x - 1) out.push(w * 32 + 31 - Math.clz32(x & -x));
  }
  return Int32Array.from(out);
}
