import { normalizeTitle, type TitleKind } from '@media-gateway/domain';

/** What resolution needs to know about an existing canonical title. */
export interface IndexedTitle {
  id: string;
  kind: TitleKind;
  normTitles: string[];
  year?: number | undefined;
  runtimeMinutes?: number | undefined;
  directors: Set<string>;
  cast: Set<string>;
  countries: Set<string>;
  imdb?: string | undefined;
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
      for (const norm of previous.normTitles) {
        const list = this.byNormTitle.get(norm);
        if (list) this.byNormTitle.set(norm, list.filter((t) => t.id !== title.id));
      }
    }
    this.byId.set(title.id, title);
    for (const norm of new Set(title.normTitles)) {
      const list = this.byNormTitle.get(norm) ?? [];
      list.push(title);
      this.byNormTitle.set(norm, list);
    }
  }

  /** Widens an existing title with a newly merged record's evidence. */
  absorb(id: string, evidence: Omit<IndexedTitle, 'id' | 'kind'>): void {
    const current = this.byId.get(id);
    if (!current) return;
    this.put({
      ...current,
      normTitles: [...new Set([...current.normTitles, ...evidence.normTitles])],
      year: current.year ?? evidence.year,
      runtimeMinutes: current.runtimeMinutes ?? evidence.runtimeMinutes,
      directors: new Set([...current.directors, ...evidence.directors]),
      cast: new Set([...current.cast, ...evidence.cast]),
      countries: new Set([...current.countries, ...evidence.countries]),
      imdb: current.imdb ?? evidence.imdb,
    });
  }

  /** `namespace:value`, e.g. `imdb:tt0111161`, `justwatch:tm1234`, `platform:netflix:80057281`. */
  putExternal(key: string, titleId: string): void {
    this.byExternal.set(key, titleId);
  }

  findExternal(key: string): string | undefined {
    return this.byExternal.get(key);
  }

  candidates(normTitles: readonly string[]): IndexedTitle[] {
    const seen = new Map<string, IndexedTitle>();
    for (const norm of normTitles) for (const t of this.byNormTitle.get(norm) ?? []) seen.set(t.id, t);
    return [...seen.values()];
  }
}
