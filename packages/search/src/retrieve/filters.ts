import type { SearchIntent } from '../understand/intent.ts';
import type { CatalogEntry, TitleCatalog } from '../index/title-catalog.ts';
import { keyTitle } from '../index/title-key.ts';

/** The constraints as they are enforced: the intent plus the caller's region and services. */
export interface Constraints {
  intent: SearchIntent;
  region: string;
  /** Platform ids an offer must be on (from the query, the request, or "my services"). Empty = any. */
  services: string[];
  /** "Now" from the service's clock: offers that ended before it do not count. */
  now: number;
}

type Test = (e: CatalogEntry) => boolean;

/** A list constraint: its test on an entry, and the same titles as a bitset from the catalog's facets. */
interface Listed {
  /** Names the list in the catalog's cache: every search asking the same shares it. */
  key: string;
  test: Test;
  bits: () => Uint32Array;
}

/** Titles in any of the bitsets. */
function anyOf(sets: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(sets[0]?.length ?? 0);
  for (const bits of sets) for (let w = 0; w < out.length; w++) out[w]! |= bits[w]!;
  return out;
}

/**
 * The constraints every matching title must be in a catalog list for (`TitleCatalog.popularityList`): the
 * type, each required genre, each mood's genres, and an offer in the region (on one of the services when any
 * were named).
 */
function listedTests(c: Constraints, catalog: TitleCatalog): Listed[] {
  const i = c.intent;
  const genre = (g: string) => catalog.facet(`genre:${g}`);
  const out: Listed[] = [];
  if (i.type) {
    const type = i.type;
    out.push({ key: `type:${type}`, test: (e) => e.kind === type, bits: () => catalog.facet(`kind:${type}`) });
  }
  for (const g of i.genres) out.push({ key: `genre:${g}`, test: (e) => e.genres.includes(g), bits: () => genre(g) });
  for (const m of i.moods) {
    const genres = [...m.anyOf].sort();
    out.push({
      key: `genres:${genres.join(',')}`,
      test: (e) => genres.some((g) => e.genres.includes(g)),
      bits: () => anyOf(genres.map(genre)),
    });
  }
  // "Leaving soon" needs an end date: the titles with one are a facet, so a browse reads only those (the exact test,
  // per service and day, is `leavingBy` among the entry tests).
  if (i.leavingWithinDays !== undefined)
    out.push({ key: 'ending', test: (e) => e.hasEndDates === true, bits: () => catalog.facet('ending') });
  const region = c.region;
  if (c.services.length) {
    const services = [...new Set(c.services)].sort();
    out.push({
      key: `offers:${region}:${services.join(',')}`,
      test: (e) => {
        const here = e.offers.get(region);
        return here !== undefined && services.some((p) => here.has(p));
      },
      bits: () => anyOf(services.map((p) => catalog.facet(`offer:${region}:${p}`))),
    });
  } else
    out.push({
      key: `offers:${region}`,
      test: (e) => (e.offers.get(region)?.size ?? 0) > 0,
      bits: () => catalog.facet(`region:${region}`),
    });
  return out;
}

/** The other hard constraints, read from the entry itself; only the ones the query states. */
function entryTests(c: Constraints, catalog: TitleCatalog): Test[] {
  const i = c.intent;
  const out: Test[] = [];
  if (i.excludeGenres.length) out.push((e) => !i.excludeGenres.some((g) => e.genres.includes(g)));
  if (i.yearFrom !== undefined) {
    const from = i.yearFrom;
    out.push((e) => e.year !== null && e.year >= from);
  }
  if (i.yearTo !== undefined) {
    const to = i.yearTo;
    out.push((e) => e.year !== null && e.year <= to);
  }
  // Unknown runtimes or ratings cannot be shown to meet a limit, so a limit excludes them.
  if (i.runtimeMax !== undefined) {
    const max = i.runtimeMax;
    out.push((e) => e.runtime !== null && e.runtime <= max);
  }
  if (i.runtimeMin !== undefined) {
    const min = i.runtimeMin;
    out.push((e) => e.runtime !== null && e.runtime >= min);
  }
  if (i.maxAge !== undefined) {
    const maxAge = i.maxAge;
    out.push((e) => e.minAge !== null && e.minAge <= maxAge);
  }
  if (i.countries.length || i.languages.length)
    out.push(
      (e) => i.countries.some((x) => e.countries.includes(x)) || i.languages.some((x) => e.languages.includes(x)),
    );
  if (i.excludeCountries.length) out.push((e) => !i.excludeCountries.some((x) => e.countries.includes(x)));
  for (const p of i.people) {
    const ids = catalog.titlesOf(p.name, p.role);
    out.push((e) => ids.has(e.id));
  }
  if (i.leavingWithinDays !== undefined) {
    const leaves = leavingBy(c, i.leavingWithinDays);
    out.push((e) => leaves(e) !== undefined);
  }
  if (i.freeOnly) {
    const free = freeOn(c);
    out.push((e) => free(e) !== undefined);
  }
  if (i.excludeServices.length)
    out.push((e) => {
      const here = e.offers.get(c.region);
      return !i.excludeServices.some((p) => here?.has(p));
    });
  return out;
}

const DAY_MS = 86_400_000;

/**
 * For "leaving soon": the service (in the region, among the asked ones if any) whose last offer of the title ends
 * first within `days` of the service's clock, and that day; undefined when none does. An offer with no end date, or
 * a later one on the same service, keeps the title there: the same rule as the leaving alerts (`leavingSoon`).
 */
export function leavingBy(
  c: Constraints,
  days: number,
): (e: CatalogEntry) => { platform: string; until: number } | undefined {
  const services = new Set(c.services);
  const by = c.now + days * DAY_MS;
  return (e) => {
    if (!e.hasEndDates) return undefined;
    // Each service's last day in the region: null while an offer there has no end date.
    const last = new Map<string, number | null>();
    for (const o of e.offerList) {
      if (o.region !== c.region || (services.size && !services.has(o.platform))) continue;
      if (o.until !== null && o.until <= c.now) continue;
      const prev = last.get(o.platform);
      last.set(o.platform, o.until === null || prev === null ? null : Math.max(prev ?? 0, o.until));
    }
    let first: { platform: string; until: number } | undefined;
    for (const [platform, until] of last)
      if (until !== null && until <= by && (!first || until < first.until)) first = { platform, until };
    return first;
  };
}

/** Monetizations that cost nothing: free, and free with ads. */
export const FREE_MONETIZATIONS: ReadonlySet<string> = new Set(['free', 'ads']);

/** For "free movies": the first service (in the region, among the asked ones if any) with a current free offer. */
export function freeOn(c: Constraints): (e: CatalogEntry) => string | undefined {
  const services = new Set(c.services);
  return (e) =>
    e.offerList.find(
      (o) =>
        o.region === c.region &&
        FREE_MONETIZATIONS.has(o.monetization) &&
        (o.until === null || o.until > c.now) &&
        (!services.size || services.has(o.platform)),
    )?.platform;
}

/** Offers with an end date may have expired since the snapshot was loaded: check those precisely. */
function currentOffer(c: Constraints): Test {
  const services = new Set(c.services);
  return (e) =>
    !e.hasEndDates ||
    e.offerList.some(
      (o) =>
        o.region === c.region && (o.until === null || o.until > c.now) && (!services.size || services.has(o.platform)),
    );
}

/** Whether bit `r` of a bitset is set. */
const hasBit = (bits: Uint32Array, r: number) => ((bits[r >>> 5]! >>> (r & 31)) & 1) === 1;

/**
 * The constraints compiled for one search. The list constraints (type, genres, moods, availability) are
 * also read from the catalog's cached bitsets by popularity rank: the predicate runs on hundreds to thousands
 * of candidates per search, and each entry field read costs a cache miss (entries, their arrays and strings
 * are scattered over the heap; ~0.3–1 µs a title measured under load). The bitsets describe the catalog
 * version they were built at: should it change while a search runs, every test reads the entry again.
 */
class Compiled {
  readonly listed: Test[];
  readonly bitsets: Uint32Array[];
  readonly others: Test[];
  readonly ending: Uint32Array;
  readonly current: Test;
  readonly version: number;

  constructor(
    c: Constraints,
    readonly catalog: TitleCatalog,
  ) {
    const listed = listedTests(c, catalog);
    this.listed = listed.map((l) => l.test);
    this.bitsets = listed.map(({ key, bits }) => catalog.popularityBits(key, bits));
    this.others = entryTests(c, catalog);
    // Titles with an offer that has an end date: their availability is judged against the clock.
    this.ending = catalog.facet('ending');
    this.current = currentOffer(c);
    this.version = catalog.version;
  }

  /** Every constraint, read from the entry. */
  private fromEntry(e: CatalogEntry): boolean {
    for (const test of this.listed) if (!test(e)) return false;
    return this.rest(e);
  }

  private rest(e: CatalogEntry): boolean {
    for (const test of this.others) if (!test(e)) return false;
    return this.current(e);
  }

  private listedAt(r: number): boolean {
    for (const bits of this.bitsets) if (!hasBit(bits, r)) return false;
    return true;
  }

  entry(e: CatalogEntry): boolean {
    const r = this.catalog.version === this.version ? this.catalog.rankOf(e) : undefined;
    if (r === undefined) return this.fromEntry(e);
    return this.listedAt(r) && this.rest(e);
  }

  /** The title `entries.get(id)`; its entry is read only when a constraint needs more than the bitsets. */
  id(id: string): boolean {
    const r = this.catalog.version === this.version ? this.catalog.rankOfId(id) : undefined;
    if (r === undefined) {
      const e = this.catalog.entries.get(id);
      return e !== undefined && this.fromEntry(e);
    }
    return this.at(r);
  }

  /** The id of the title with the vector index's `key` when it passes (the catalog's own string), else undefined. */
  key(key: bigint): string | undefined {
    const r = this.catalog.version === this.version ? this.catalog.rankOfKey(key) : undefined;
    if (r !== undefined) return this.at(r) ? this.catalog.byPopularity[r]!.id : undefined;
    const id = keyTitle(key);
    return this.id(id) ? id : undefined;
  }

  /** The title at position `r` of `catalog.byPopularity`. */
  rank(r: number): boolean {
    return this.catalog.version === this.version ? this.at(r) : this.fromEntry(this.catalog.byPopularity[r]!);
  }

  /** The title at position `r` of `byPopularity`, while the catalog is at the compiled version. */
  private at(r: number): boolean {
    if (!this.listedAt(r)) return false;
    return (this.others.length === 0 && !hasBit(this.ending, r)) || this.rest(this.catalog.byPopularity[r]!);
  }
}

/**
 * One predicate for every hard constraint (SPEC.md H1–H10), evaluated on the in-memory catalog
 * entry. Every retrieval channel passes its candidates through it, so a constraint is a filter,
 * never a boost. (A SQL version was measured first: the offers EXISTS alone cost ~400 ms on PGlite
 * at 30k titles; decision 0051.)
 */
export function compileConstraints(c: Constraints, catalog: TitleCatalog): (e: CatalogEntry) => boolean {
  const compiled = new Compiled(c, catalog);
  return (e) => compiled.entry(e);
}

/** The same predicate for an entry, and for the channels' candidates as they come. */
export interface CandidateConstraints {
  entry: (e: CatalogEntry) => boolean;
  /** By title id (`catalog.entries.get(id)`); false for an unknown id. */
  id: (id: string) => boolean;
  /** By vector index key (`titleKey(id)`): the id when the title passes, for `VectorIndex.search`. */
  key: (key: bigint) => string | undefined;
  /** By position in `catalog.byPopularity` (the browse scan). */
  rank: (r: number) => boolean;
}

export function compileCandidateConstraints(c: Constraints, catalog: TitleCatalog): CandidateConstraints {
  const compiled = new Compiled(c, catalog);
  return {
    entry: (e) => compiled.entry(e),
    id: (id) => compiled.id(id),
    key: (key) => compiled.key(key),
    rank: (r) => compiled.rank(r),
  };
}

/**
 * The shortest list of titles (positions in `catalog.byPopularity`, most popular first) that every
 * title meeting the constraints must be in: one required genre, the type, a mood's genres, the region
 * or the named services there, or a person's titles. A superset: the predicate still decides. Undefined
 * when nothing narrows (scan everything).
 */
export function narrowestCandidates(c: Constraints, catalog: TitleCatalog): Int32Array | undefined {
  const lists = listedTests(c, catalog).map(({ key, bits }) => catalog.popularityList(key, bits));
  for (const p of c.intent.people) lists.push(catalog.popularityRanks(catalog.titlesOf(p.name, p.role)));
  let best: Int32Array | undefined;
  for (const l of lists) if (!best || l.length < best.length) best = l;
  return best;
}

/** Words of the free text, safe for to_tsquery (letters and digits only). */
export function queryTerms(text: string): string[] {
  return textWords(text).slice(0, 24);
}

/** A text's words as queries are read: lowercased, without accents, split at anything but letters and digits. */
export function textWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && w.length < 40);
}

/** An OR query: natural-language remainders rarely match every word. */
export function orTsQuery(terms: string[]): string {
  return terms.join(' | ');
}

/** Whether a title has a current offer in the region on any service: the availability half of H10, as filtered. */
export function streamsIn(c: Constraints): Test {
  const current = currentOffer({ ...c, services: [] });
  return (e) => (e.offers.get(c.region)?.size ?? 0) > 0 && current(e);
}

/** Every hard constraint but availability in the region: for titles that meet a query but are not streaming there. */
export function meetsAllButAvailability(c: Constraints, catalog: TitleCatalog): Test {
  const tests = [
    ...listedTests(c, catalog)
      .filter((l) => !l.key.startsWith('offers:'))
      .map((l) => l.test),
    ...entryTests(c, catalog),
  ];
  return (e) => tests.every((t) => t(e));
}
