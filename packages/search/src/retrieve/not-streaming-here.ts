import type { NotStreaming } from '@media-gateway/domain/contracts';
import type { CatalogEntry, TitleCatalog } from '../index/title-catalog.ts';
import { type Constraints, meetsAllButAvailability } from './filters.ts';

/** Titles that meet every constraint but have no current offer in the region, most popular first. */
export interface NotStreamingHere {
  count: number;
  titles: CatalogEntry[];
  /** When a source last saw any offer in the region (ms): what "not streaming here" is as of; null if never said. */
  asOf: number | null;
}

const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

const isCurrentIn = (c: Constraints) => (o: CatalogEntry['offerList'][number]) =>
  o.region === c.region && (o.until === null || o.until > c.now);

/**
 * Behind a dead end ("films by Christopher Nolan" on a catalog where none is streaming in the region) there may be
 * titles that meet every constraint but cannot be watched here. Saying so, and naming them, is a truer answer than
 * "try removing one of them". A scan of the catalog, run only when a search found nothing and no near match.
 */
export function notStreamingHere(catalog: TitleCatalog, c: Constraints, show: number): NotStreamingHere {
  const meets = meetsAllButAvailability(c, catalog);
  const current = isCurrentIn(c);
  const found: CatalogEntry[] = [];
  let asOf: number | null = null;
  for (const e of catalog.entries.values()) {
    let here = false;
    for (const o of e.offerList) {
      if (!current(o)) continue;
      here = true;
      if (o.seenAt !== null && (asOf === null || o.seenAt > asOf)) asOf = o.seenAt;
    }
    if (!here && meets(e)) found.push(e);
  }
  found.sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
  // "and 1 more" says less than the one name would.
  const named = found.length === show + 1 ? show + 1 : show;
  return { count: found.length, titles: found.slice(0, named), asOf };
}

/** "Oppenheimer (2023), The Dark Knight (2008) and Inception (2010) meet them but are not streaming in US as of …". */
export function notStreamingNote(n: NotStreamingHere, region: string, too = false): string {
  const names = n.titles.map((e) => (e.year ? `${e.title} (${e.year})` : e.title));
  const rest = n.count - names.length;
  const list =
    rest > 0
      ? `${names.join(', ')} and ${rest} more`
      : names.length > 1
        ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
        : names[0];
  const when = n.asOf === null ? '' : ` as of ${day(n.asOf)}`;
  const verb = `${n.count === 1 ? 'meets' : 'meet'} them${too ? ' too' : ''} but ${n.count === 1 ? 'is' : 'are'}`;
  return `${list} ${verb} not streaming in ${region}${when}.`;
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
