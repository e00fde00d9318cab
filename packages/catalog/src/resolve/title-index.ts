import { normalizeTitle, type TitleKind } from '@media-gateway/domain';
import { looseForm } from './loose-titles.ts';

/** What resolution needs to know about an existing canonical title. */
export interface IndexedTitle {
  id: string;
  kind: TitleKind;
  normTitles: string[];
  /** Loose forms of whole titles (see loose-titles.ts); derived from normTitles when absent. */
  looseTitles?: string[] | undefined;
  /** Loose forms of subtitle parts ("Star Wars: A New Hope" → "star wars", "a new hope"). */
  titleParts?: string[] | undefined;
  /** Of those, the parts before a subtitle ("star wars"): see `titlePrefixKeys`. */
  prefixParts?: string[] | undefined;
  year?: number | undefined;
  runtimeMinutes?: number | undefined;
  directors: Set<string>;
  cast: Set<string>;
  countries: Set<string>;
  imdb?: string | undefined;
  /** Seasons of a series: with the year, tells a first-season year from a latest-season year. */
  seasons?: number | undefined;
  /** Taxonomy genres; optional because titles loaded from older stores may lack them. */
  genres?: Set<string> | undefined;
  /** Sources that already contributed a record: one catalog lists a work once. */
  sources?: Set<string> | undefined;
}

function union<T>(a: Set<T> | undefined, b: Set<T> | undefined): Set<T> | undefined {
  if (!a) return b && new Set(b);
  if (!b) return new Set(a);
  return new Set([...a, ...b]);
}

function looseKeysOf(title: Pick<IndexedTitle, 'normTitles' | 'looseTitles'>): string[] {
  return title.looseTitles ?? title.normTitles.map(looseForm);
}

function link(map: Map<string, IndexedTitle[]>, keys: readonly string[], title: IndexedTitle): void {
  for (const key of new Set(keys)) {
    const list = map.get(key) ?? [];
    list.push(title);
    map.set(key, list);
  }
}

function unlink(map: Map<string, IndexedTitle[]>, keys: readonly string[], id: string): void {
  for (const key of new Set(keys)) {
    const list = map.get(key);
    if (list)
      map.set(
        key,
        list.filter((t) => t.id !== id),
      );
  }
}

export function normalizePerson(name: string): string {
  return normalizeTitle(name);
}

/**
 * In-memory index over canonical titles for one ingestion run: lookups by external id and by
 * normalized title (including alternates). Kept in step with the database by the pipeline.
 */
export class TitleIndex {
  private readonly byExternal = new Map<string, string>();
  private readonly byNormTitle = new Map<string, IndexedTitle[]>();
  private readonly byLooseTitle = new Map<string, IndexedTitle[]>();
  private readonly byTitlePart = new Map<string, IndexedTitle[]>();
  private readonly byId = new Map<string, IndexedTitle>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): IndexedTitle | undefined {
    return this.byId.get(id);
  }

  /** Adds or replaces a title (and re-keys its normalized titles). */
  put(title: IndexedTitle): void {
    const previous = this.byId.get(title.id);
    if (previous) {
      unlink(this.byNormTitle, previous.normTitles, title.id);
      unlink(this.byLooseTitle, looseKeysOf(previous), title.id);
      unlink(this.byTitlePart, previous.titleParts ?? [], title.id);
    }
    this.byId.set(title.id, title);
    link(this.byNormTitle, title.normTitles, title);
    link(this.byLooseTitle, looseKeysOf(title), title);
    link(this.byTitlePart, title.titleParts ?? [], title);
  }

  /** Widens an existing title with a newly merged record's evidence. */
  absorb(id: string, evidence: Omit<IndexedTitle, 'id' | 'kind'>): void {
    const current = this.byId.get(id);
    if (!current) return;
    this.put({
      ...current,
      normTitles: [...new Set([...current.normTitles, ...evidence.normTitles])],
      looseTitles: [...new Set([...looseKeysOf(current), ...looseKeysOf(evidence)])],
      titleParts: [...new Set([...(current.titleParts ?? []), ...(evidence.titleParts ?? [])])],
      prefixParts: [...new Set([...(current.prefixParts ?? []), ...(evidence.prefixParts ?? [])])],
      year: current.year ?? evidence.year,
      runtimeMinutes: current.runtimeMinutes ?? evidence.runtimeMinutes,
      directors: new Set([...current.directors, ...evidence.directors]),
      cast: new Set([...current.cast, ...evidence.cast]),
      countries: new Set([...current.countries, ...evidence.countries]),
      imdb: current.imdb ?? evidence.imdb,
      seasons: Math.max(current.seasons ?? 0, evidence.seasons ?? 0) || undefined,
      genres: union(current.genres, evidence.genres),
      sources: union(current.sources, evidence.sources),
    });
  }

  /** `namespace:value`, e.g. `imdb:tt0111161`, `justwatch:tm1234`, `platform:netflix:80057281`. */
  putExternal(key: string, titleId: string): void {
    this.byExternal.set(key, titleId);
  }

  findExternal(key: string): string | undefined {
    return this.byExternal.get(key);
  }

  /**
   * Titles sharing a normalized title; with `loose` keys also titles whose whole-title loose
   * form meets the record's loose whole titles or parts, or whose parts meet the record's loose
   * whole titles (never part with part). The resolver tells exact from loose by normTitles.
   */
  candidates(
    normTitles: readonly string[],
    loose: { looseTitles?: readonly string[] | undefined; titleParts?: readonly string[] | undefined } = {},
  ): IndexedTitle[] {
    const seen = new Map<string, IndexedTitle>();
    for (const norm of normTitles) for (const t of this.byNormTitle.get(norm) ?? []) seen.set(t.id, t);
    for (const key of loose.looseTitles ?? []) {
      for (const t of this.byLooseTitle.get(key) ?? []) seen.set(t.id, t);
      for (const t of this.byTitlePart.get(key) ?? []) seen.set(t.id, t);
    }
    for (const key of loose.titleParts ?? []) for (const t of this.byLooseTitle.get(key) ?? []) seen.set(t.id, t);
    return [...seen.values()];
  }
}
