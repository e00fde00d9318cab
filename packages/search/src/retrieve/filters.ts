import type { SearchIntent } from '../understand/intent.ts';
import type { CatalogEntry, TitleCatalog } from '../index/title-catalog.ts';

/** The constraints as they are enforced: the intent plus the caller's region and services. */
export interface Constraints {
  intent: SearchIntent;
  region: string;
  /** Platform ids an offer must be on (from the query, the request, or "my services"). Empty = any. */
  services: string[];
  /** "Now" from the service's clock: offers that ended before it do not count. */
  now: number;
}

/**
 * One predicate for every hard constraint (SPEC.md H1–H10), evaluated on the in-memory catalog
 * entry. Every retrieval channel passes its candidates through it, so a constraint is a filter,
 * never a boost. (A SQL version was measured first: the offers EXISTS alone cost ~400 ms on PGlite
 * at 30k titles; decision 0051.)
 */
export function compileConstraints(c: Constraints, catalog: TitleCatalog): (e: CatalogEntry) => boolean {
  const i = c.intent;
  const people = i.people.map((p) => catalog.titlesOf(p.name, p.role));
  const services = new Set(c.services);
  return (e) => {
    if (i.type && e.kind !== i.type) return false;
    for (const g of i.genres) if (!e.genres.includes(g)) return false;
    for (const m of i.moods) if (!m.anyOf.some((g) => e.genres.includes(g))) return false;
    if (i.excludeGenres.some((g) => e.genres.includes(g))) return false;
    if (i.yearFrom !== undefined && (e.year === null || e.year < i.yearFrom)) return false;
    if (i.yearTo !== undefined && (e.year === null || e.year > i.yearTo)) return false;
    // Unknown runtimes or ratings cannot be shown to meet a limit, so a limit excludes them.
    if (i.runtimeMax !== undefined && (e.runtime === null || e.runtime > i.runtimeMax)) return false;
    if (i.runtimeMin !== undefined && (e.runtime === null || e.runtime < i.runtimeMin)) return false;
    if (i.maxAge !== undefined && (e.minAge === null || e.minAge > i.maxAge)) return false;
    if (
      (i.countries.length || i.languages.length) &&
      !i.countries.some((x) => e.countries.includes(x)) &&
      !i.languages.some((x) => e.languages.includes(x))
    )
      return false;
    if (i.excludeCountries.some((x) => e.countries.includes(x))) return false;
    for (const ids of people) if (!ids.has(e.id)) return false;
    // Availability: a current offer in the region, on one of the services when any were named.
    const here = e.offers.get(c.region);
    if (!here || here.size === 0) return false;
    if (services.size && !c.services.some((p) => here.has(p))) return false;
    if (i.excludeServices.some((p) => here.has(p))) return false;
    // Offers with an end date may have expired since the snapshot was loaded: check those precisely.
    if (e.hasEndDates) {
      return e.offerList.some(
        (o) =>
          o.region === c.region &&
          (o.until === null || o.until > c.now) &&
          (!services.size || services.has(o.platform)),
      );
    }
    return true;
  };
}

/**
 * The shortest list of titles (positions in `catalog.byPopularity`, most popular first) that every
 * title meeting the constraints must be in: one required genre, the type, a mood's genres, the region
 * or the named services there, or a person's titles. A superset: the predicate still decides. Undefined
 * when nothing narrows (scan everything).
 */
export function narrowestCandidates(c: Constraints, catalog: TitleCatalog): Int32Array | undefined {
  const i = c.intent;
  const lists: Int32Array[] = [];
  if (i.type) {
    const type = i.type;
    lists.push(catalog.popularityList(`type:${type}`, (e) => e.kind === type));
  }
  for (const g of i.genres) lists.push(catalog.popularityList(`genre:${g}`, (e) => e.genres.includes(g)));
  for (const m of i.moods) {
    const anyOf = [...m.anyOf].sort();
    lists.push(catalog.popularityList(`genres:${anyOf.join(',')}`, (e) => anyOf.some((g) => e.genres.includes(g))));
  }
  const region = c.region;
  if (c.services.length) {
    const services = [...new Set(c.services)].sort();
    lists.push(
      catalog.popularityList(`offers:${region}:${services.join(',')}`, (e) => {
        const here = e.offers.get(region);
        return here !== undefined && services.some((p) => here.has(p));
      }),
    );
  } else lists.push(catalog.popularityList(`offers:${region}`, (e) => (e.offers.get(region)?.size ?? 0) > 0));
  for (const p of i.people) lists.push(catalog.popularityRanks(catalog.titlesOf(p.name, p.role)));
  let best: Int32Array | undefined;
  for (const l of lists) if (!best || l.length < best.length) best = l;
  return best;
}

/** Words of the free text, safe for to_tsquery (letters and digits only). */
export function queryTerms(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && w.length < 40)
    .slice(0, 24);
}

/** An OR query: natural-language remainders rarely match every word. */
export function orTsQuery(terms: string[]): string {
  return terms.join(' | ');
}
