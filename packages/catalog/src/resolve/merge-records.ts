import { GENRES, normalizeTitle, type SourceRecord, type TitleKind } from '@media-gateway/domain';

/** Which source's facts win when sources disagree: curated files, then metadata APIs, then catalog dumps. */
const SOURCE_PRIORITY: Array<[prefix: string, priority: number]> = [
  ['jsonl', 100],
  ['sample', 100],
  ['tmdb', 90],
  ['streaming-availability', 80],
  ['watchmode', 70],
  ['justwatch', 60],
  ['justwatch-csv', 55],
  ['catalog-csv', 40],
  ['youtube', 30],
];

export function sourcePriority(source: string): number {
  for (const [prefix, priority] of SOURCE_PRIORITY)
    if (source === prefix || source.startsWith(`${prefix}:`)) return priority;
  return 10;
}

/** The canonical title's stored columns. */
export interface CanonicalRow {
  kind: TitleKind;
  title: string;
  originalTitle: string | null;
  alternateTitles: string[];
  normTitle: string;
  year: number | null;
  runtimeMinutes: number | null;
  seasons: number | null;
  genres: string[];
  maturityLabel: string | null;
  maturitySystem: string | null;
  maturityMinAge: number | null;
  countries: string[];
  languages: string[];
  directors: string[];
  cast: string[];
  creators: string[];
  description: string | null;
  descriptionSource: string | null;
  popularity: number | null;
}

function unionInOrder(lists: string[][], limit = 50): string[] {
  const seen = new Map<string, string>();
  for (const list of lists)
    for (const item of list) {
      const key = normalizeTitle(item) || item;
      if (!seen.has(key)) seen.set(key, item);
    }
  return [...seen.values()].slice(0, limit);
}

/**
 * Folds every source record of one title into the canonical row. Scalars come from the
 * highest-priority source that has them; lists are unions in priority order. Pure: the same
 * records always give the same row, so re-ingestion cannot drift.
 */
export function mergeRecords(records: readonly SourceRecord[]): CanonicalRow {
  if (records.length === 0) throw new Error('mergeRecords needs at least one record');
  const sorted = [...records].sort(
    (a, b) =>
      sourcePriority(b.source) - sourcePriority(a.source) ||
      a.source.localeCompare(b.source) ||
      a.sourceKey.localeCompare(b.sourceKey),
  );
  const first = <T>(pick: (r: SourceRecord) => T | undefined): T | undefined => {
    for (const r of sorted) {
      const v = pick(r);
      if (v !== undefined && v !== null && v !== '') return v;
    }
    return undefined;
  };
  const primary = sorted[0]!;
  const title = primary.title;
  const allTitles = unionInOrder(
    sorted.map((r) => [r.title, ...(r.originalTitle ? [r.originalTitle] : []), ...r.alternateTitles]),
  );
  const maturity = first((r) => r.maturity);
  const describedBy = sorted.find((r) => r.description);
  const genreSet = new Set(sorted.flatMap((r) => r.genres));
  const popularity = first((r) => r.signals?.['popularity']);
  return {
    kind: primary.kind,
    title,
    originalTitle: first((r) => r.originalTitle) ?? null,
    alternateTitles: allTitles.filter((t) => t !== title),
    normTitle: normalizeTitle(title),
    year: first((r) => r.year) ?? null,
    runtimeMinutes: first((r) => r.runtimeMinutes) ?? null,
    seasons: sorted.reduce<number | null>(
      (max, r) => (r.seasons && (max === null || r.seasons > max) ? r.seasons : max),
      null,
    ),
    genres: GENRES.filter((g) => genreSet.has(g)),
    maturityLabel: maturity?.label ?? null,
    maturitySystem: maturity?.system ?? null,
    maturityMinAge: maturity?.minAge ?? null,
    countries: unionInOrder(
      sorted.map((r) => r.countries),
      20,
    ),
    languages: unionInOrder(
      sorted.map((r) => r.languages),
      20,
    ),
    directors: unionInOrder(
      sorted.map((r) => r.directors),
      20,
    ),
    cast: unionInOrder(
      sorted.map((r) => r.cast),
      40,
    ),
    creators: unionInOrder(
      sorted.map((r) => r.creators),
      20,
    ),
    description: describedBy?.description ?? null,
    descriptionSource: describedBy?.source ?? null,
    popularity: popularity ?? null,
  };
}
