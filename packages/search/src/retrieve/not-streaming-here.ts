import type { NotStreaming } from '@media-gateway/domain/contracts';
import type { CatalogEntry, TitleCatalog } from '../index/title-catalog.ts';
import { type Constraints, meetsAllButAvailability, streamsIn } from './filters.ts';
import { peopleNamedIn } from './rank.ts';

/** How many of them an answer names (one more when that is all: "and 1 more" says less than the name would). */
export const NOT_STREAMING_SHOWN = 8;

/** Titles that meet every constraint but have no current offer in the region, most popular first. */
export interface NotStreamingHere {
  count: number;
  titles: CatalogEntry[];
  /** When a source last saw any offer in the region (ms): what "not streaming here" is as of; null if never said. */
  asOf: number | null;
  /** That newest offer came from the bundled sample catalog (the answer must say it is sample data). */
  sample: boolean;
}

const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

/** Per catalog version and region: how many offers it holds, and the newest a source reported. */
interface RegionOffers {
  offers: number;
  /** How many of them the bundled sample gave. */
  sampleOffers: number;
  newest: number | null;
  sample: boolean;
}
const regionCache = new WeakMap<TitleCatalog, { version: number; byRegion: Map<string, RegionOffers> }>();

export function regionOffers(catalog: TitleCatalog, region: string): RegionOffers {
  let cached = regionCache.get(catalog);
  if (!cached || cached.version !== catalog.version) {
    cached = { version: catalog.version, byRegion: new Map() };
    regionCache.set(catalog, cached);
  }
  const known = cached.byRegion.get(region);
  if (known) return known;
  const out: RegionOffers = { offers: 0, sampleOffers: 0, newest: null, sample: false };
  for (const e of catalog.entries.values())
    for (const o of e.offerList) {
      if (o.region !== region) continue;
      out.offers++;
      if (o.sample) out.sampleOffers++;
      if (o.seenAt !== null && (out.newest === null || o.seenAt > out.newest)) {
        out.newest = o.seenAt;
        out.sample = o.sample;
      }
    }
  cached.byRegion.set(region, out);
  return out;
}

/** Most popular first; the id breaks ties so the order never depends on the catalog's insertion order. */
const before = (a: CatalogEntry, b: CatalogEntry) =>
  a.popularity > b.popularity || (a.popularity === b.popularity && a.id < b.id);

/**
 * "4 titles meet them but are not streaming in US as of 2025-06-01." The titles themselves travel in `notStreaming`,
 * which every client lists (web, TV, CLI, MCP), so the note does not repeat them.
 */
export function notStreamingNote(n: NotStreamingHere, region: string, more = false): string {
  const who = n.count === 1 ? `One ${more ? 'more ' : ''}title meets` : `${n.count} ${more ? 'more ' : ''}titles meet`;
  const when = n.asOf === null ? '' : ` as of ${day(n.asOf)}`;
  return `${who} them but ${n.count === 1 ? 'is' : 'are'} not streaming in ${region}${when}.`;
}

/** The same as the response carries it (`notStreaming`): the titles by id, so a client can link them. */
export function notStreamingView(n: NotStreamingHere, region: string): NotStreaming {
  return {
    region,
    asOf: day(n.asOf),
    count: n.count,
    titles: n.titles.map((e) => ({ id: e.id, title: e.title, year: e.year, type: e.kind })),
  };
}

/**
 * Behind a dead end ("films by Christopher Nolan" on a catalog where none is streaming in the region) there may be
 * titles that meet every constraint but cannot be watched here. Saying so, and naming them, is a truer answer than
 * "try removing one of them". Run only for an empty or short answer with no near match and no free words, and only
 * in a region some source has reported offers for (elsewhere every title would be "not streaming", undated). One pass
 * over the catalog keeps the most popular few; the region's newest offer date is computed once per catalog version.
 */
export function notStreamingHere(catalog: TitleCatalog, c: Constraints, show: number): NotStreamingHere {
  const region = regionOffers(catalog, c.region);
  const none = { count: 0, titles: [], asOf: null, sample: false };
  if (region.offers === 0) return none;
  const meets = meetsAllButAvailability(c, catalog);
  const here = streamsIn(c);
  // One more than shown: "and 1 more" says less than the one name would.
  const keep = show + 1;
  const top: CatalogEntry[] = [];
  let count = 0;
  for (const e of catalog.entries.values()) {
    if (here(e) || !meets(e)) continue;
    count++;
    if (top.length === keep && !before(e, top[keep - 1]!)) continue;
    let at = top.length < keep ? top.length : keep - 1;
    while (at > 0 && before(e, top[at - 1]!)) at--;
    top.splice(at, 0, e);
    if (top.length > keep) top.pop();
  }
  const named = count === keep ? keep : show;
  return { count, titles: top.slice(0, named), asOf: region.newest, sample: region.sample };
}

/**
 * Titles named by the words ("interstellar", "christopher nolan") that meet the other constraints but have no offer
 * in the region: a title typed by its exact name first, then titles whose names hold the words, then the titles of
 * a person the words name, most popular first. "No title matches these words" was false for a title in the catalog
 * that only streams elsewhere, and the lexical channel, which keeps to the region, then offered unrelated titles.
 */
export function notStreamingByWords(
  catalog: TitleCatalog,
  c: Constraints,
  text: string,
  show: number,
  /** Only the title typed by its exact name and the titles of the person named (an answer that found others). */
  namedOnly = false,
): NotStreamingHere & { exact: boolean; personTitles: Set<string>; atLeast: boolean } {
  const none = {
    count: 0,
    titles: [],
    asOf: null,
    sample: false,
    exact: false,
    personTitles: new Set<string>(),
    atLeast: false,
  };
  const region = regionOffers(catalog, c.region);
  if (region.offers === 0 || !text) return none;
  const meets = meetsAllButAvailability(c, catalog);
  const here = streamsIn(c);
  const away = (e: CatalogEntry | undefined): e is CatalogEntry => !!e && !here(e) && meets(e);
  const exact = catalog.exactTitle(text);
  const named = namedOnly ? [] : catalog.matchTitles(text, NAME_MATCHES).map((id) => catalog.entries.get(id));
  const personTitles = new Set(
    peopleNamedIn(catalog, text)
      .filter((p) => p.words === text)
      .flatMap((p) => [...p.titles]),
  );
  const byPeople = [...personTitles].map((id) => catalog.entries.get(id));
  const rest = [...named, ...byPeople].filter(away).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const found = [...new Set([...(away(exact) ? [exact] : []), ...rest])];
  if (found.length === 0) return none;
  const shown = found.length === show + 1 ? show + 1 : show;
  return {
    count: found.length,
    titles: found.slice(0, shown),
    asOf: region.newest,
    sample: region.sample,
    exact: away(exact),
    personTitles,
    // The title search stops at NAME_MATCHES: a count that reached it may be short of the whole.
    atLeast: named.length === NAME_MATCHES,
  };
}

/** How many titles whose names match the words are read for a dead end. */
const NAME_MATCHES = 50;

/**
 * "Interstellar (2014) is in the catalog but not streaming in US as of 2025-06-01." or "3 titles match these words
 * but…". The year tells a remake from the film the results may show.
 */
export function notStreamingByWordsNote(n: NotStreamingHere & { exact: boolean; atLeast?: boolean }, region: string) {
  const when = n.asOf === null ? '' : ` as of ${day(n.asOf)}`;
  const first = n.titles[0]!;
  const name = first.year ? `${first.title} (${first.year})` : first.title;
  const count = n.atLeast ? `${n.count} or more` : `${n.count}`;
  const who =
    n.count === 1
      ? `${name} is in the catalog but`
      : n.exact
        ? `${name} and ${n.count - 1}${n.atLeast ? ' or more' : ''} more ${n.count === 2 ? 'title' : 'titles'} matching these words are`
        : `${count} titles match these words but are`;
  return `${who} not streaming in ${region}${when}.`;
}
