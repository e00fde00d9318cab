import type { Queryable } from '@media-gateway/db';
import { normalizeTitle, type TitleKind } from '@media-gateway/domain';
import { looseTitleKeys, titlePartKeys } from '../resolve/loose-titles.ts';
import { type IndexedTitle, TitleIndex } from '../resolve/title-index.ts';
import type { ImportRow, TitleGuess } from './import-row.ts';

/**
 * How a row found its title: by IMDb or TMDb id; by normalised title and the same year; by title
 * and a year one off (or, for a series, within its seasons: the catalog's year of a series can be
 * its latest season); or by title alone when the file gives no year and one title has the name.
 */
export type MatchHow = 'imdb' | 'tmdb' | 'title_year' | 'title_year_near' | 'title';
export type UnmatchedReason = 'not_in_catalog' | 'ambiguous' | 'no_year' | 'unsupported' | 'invalid';

export type RowMatch =
  | {
      status: 'matched';
      how: MatchHow;
      titleId: string;
      title: string;
      year: number | null;
      kind: TitleKind;
      detail?: string | undefined;
    }
  | { status: 'unmatched'; reason: UnmatchedReason; detail: string };

interface CatalogTitle {
  id: string;
  kind: TitleKind;
  title: string;
  year: number | null;
  seasons: number | null;
  imdb: string | undefined;
}

function keysOf(g: TitleGuess): { norm: string; loose: string[]; parts: string[] } {
  return { norm: normalizeTitle(g.title), loose: looseTitleKeys([g.title]), parts: titlePartKeys([g.title]) };
}

/**
 * Matches parsed rows to catalog titles, ids first, then title + year through the resolver's own
 * normalisation and title index (normalizeTitle, loose forms and subtitle parts), so an import
 * finds a title as catalog ingestion would. Loose and subtitle-part matches need the same year and
 * say so in the report (decision 0110 has the measured trade-off). Only titles whose normalised
 * name equals one of the file's keys are loaded, never the whole catalog.
 */
export async function matchImportRows(db: Queryable, rows: readonly ImportRow[]): Promise<RowMatch[]> {
  const imdbIds = [...new Set(rows.flatMap((r) => (r.imdb ? [r.imdb] : [])))];
  const tmdbIds = [...new Set(rows.flatMap((r) => (r.tmdb ? [r.tmdb] : [])))];
  const external = new Map<string, string>();
  if (imdbIds.length || tmdbIds.length) {
    const { rows: found } = await db.query<{ namespace: string; value: string; title_id: string }>(
      `SELECT namespace, value, title_id FROM external_ids
       WHERE (namespace = 'imdb' AND value = ANY($1)) OR (namespace = 'tmdb' AND value = ANY($2))`,
      [imdbIds, tmdbIds],
    );
    for (const f of found) external.set(`${f.namespace}:${f.value}`, f.title_id);
  }
  const keys = new Set<string>();
  for (const r of rows)
    for (const g of r.guesses) {
      const k = keysOf(g);
      for (const key of [k.norm, ...k.loose, ...k.parts]) if (key) keys.add(key);
    }
  const { rows: titleRows } = await db.query<{
    id: string;
    kind: TitleKind;
    title: string;
    norm_title: string;
    alternate_titles: string[];
    year: number | null;
    seasons: number | null;
  }>(
    `SELECT id, kind, title, norm_title, alternate_titles, year, seasons FROM titles
     WHERE norm_title = ANY($1) OR id = ANY($2)`,
    [[...keys], [...new Set(external.values())]],
  );
  const { rows: imdbOf } = await db.query<{ title_id: string; value: string }>(
    "SELECT title_id, value FROM external_ids WHERE namespace = 'imdb' AND title_id = ANY($1)",
    [titleRows.map((t) => t.id)],
  );
  const imdbByTitle = new Map(imdbOf.map((r) => [r.title_id, r.value]));
  const catalog = new Map<string, CatalogTitle>();
  const index = new TitleIndex();
  for (const t of titleRows) {
    catalog.set(t.id, { ...t, imdb: imdbByTitle.get(t.id) });
    index.put({
      id: t.id,
      kind: t.kind,
      normTitles: [t.norm_title, ...t.alternate_titles.map(normalizeTitle)],
      titleParts: titlePartKeys([t.title, ...t.alternate_titles]),
      year: t.year ?? undefined,
      seasons: t.seasons ?? undefined,
      directors: new Set(),
      cast: new Set(),
      countries: new Set(),
    });
  }
  const byGuess = new Map<string, RowMatch | undefined>();
  const out: RowMatch[] = [];
  for (const [i, row] of rows.entries()) {
    // Other requests run between slices of a large file (an embedded database never yields on its own).
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    out.push(matchRow(row));
  }
  return out;

  function matchRow(row: ImportRow): RowMatch {
    if (row.problem) return { status: 'unmatched', reason: row.problem.reason, detail: row.problem.detail };
    for (const [namespace, id] of [
      ['imdb', row.imdb],
      ['tmdb', row.tmdb],
    ] as const) {
      const titleId = id ? external.get(`${namespace}:${id}`) : undefined;
      const t = titleId ? catalog.get(titleId) : undefined;
      if (t) return matched(namespace, t);
    }
    let fallback: RowMatch | undefined;
    for (const guess of row.guesses) {
      const key = `${normalizeTitle(guess.title)}|${guess.year ?? ''}|${guess.kind ?? ''}|${row.imdb ?? ''}`;
      if (!byGuess.has(key)) byGuess.set(key, decide(guess, row.imdb, index, catalog));
      const result = byGuess.get(key);
      if (result?.status === 'matched') return result;
      fallback ??= result;
    }
    return (
      fallback ?? {
        status: 'unmatched',
        reason: 'not_in_catalog',
        detail: row.imdb ? `no title with ${row.imdb} or this name` : 'no title with this name',
      }
    );
  }
}

/** Rows matched between two chances for other requests to run. */
const YIELD_EVERY = 2_000;

function matched(how: MatchHow, t: CatalogTitle, detail?: string): RowMatch {
  return { status: 'matched', how, titleId: t.id, title: t.title, year: t.year, kind: t.kind, detail };
}

function ambiguous(list: CatalogTitle[]): RowMatch {
  return {
    status: 'unmatched',
    reason: 'ambiguous',
    detail: `${list.length} catalog titles fit: ${list
      .slice(0, 5)
      .map((t) => `${t.title} (${t.year ?? 'no year'}, ${t.id})`)
      .join('; ')}`,
  };
}

/** The catalog's year of a series may be its latest season: a first-season year up to `seasons` earlier still fits. */
function nearYear(t: CatalogTitle, year: number): boolean {
  if (t.year === null) return false;
  const delta = t.year - year;
  if (Math.abs(delta) === 1) return true;
  return t.kind === 'series' && delta > 1 && delta <= (t.seasons ?? 1);
}

function decide(
  guess: TitleGuess,
  rowImdb: string | undefined,
  index: TitleIndex,
  catalog: Map<string, CatalogTitle>,
): RowMatch | undefined {
  const k = keysOf(guess);
  if (!k.norm) return undefined;
  const named = index.candidates([k.norm], { looseTitles: k.loose, titleParts: k.parts });
  const all = named.filter((c: IndexedTitle) => !guess.kind || c.kind === guess.kind);
  const toTitle = (c: IndexedTitle) => catalog.get(c.id)!;
  const decided = decideAmong(guess, rowImdb, k.norm, all, toTitle);
  if (decided) return decided;
  // Say why a name the catalog has did not match: Letterboxd lists films, and "Breaking Bad" is a series there.
  const otherKind = named.find((c) => c.normTitles.includes(k.norm) && guess.kind && c.kind !== guess.kind);
  if (otherKind)
    return {
      status: 'unmatched',
      reason: 'not_in_catalog',
      detail: `the catalog has this name only as a ${otherKind.kind}, and this row is a ${guess.kind}`,
    };
  return undefined;
}

function decideAmong(
  guess: TitleGuess,
  rowImdb: string | undefined,
  norm: string,
  all: IndexedTitle[],
  toTitle: (c: IndexedTitle) => CatalogTitle,
): RowMatch | undefined {
  const k = { norm };
  // A title the catalog knows under another IMDb id is another work, whatever its name, unless the name and the year
  // agree too (below: one source can give a title the wrong id).
  const fits = (c: IndexedTitle) => !rowImdb || !toTitle(c).imdb || toTitle(c).imdb === rowImdb;
  const exact = all.filter((c) => c.normTitles.includes(k.norm) && fits(c)).map(toTitle);
  const loose = all.filter((c) => !c.normTitles.includes(k.norm) && fits(c)).map(toTitle);
  if (guess.year === undefined) {
    if (exact.length === 1)
      return matched('title', exact[0]!, 'the file gives no year; one catalog title has this name');
    if (exact.length > 1)
      return {
        status: 'unmatched',
        reason: 'no_year',
        detail: `${exact.length} catalog titles have this name and the file gives no year to choose`,
      };
    return undefined;
  }
  const year = guess.year;
  const same = exact.filter((t) => t.year === year);
  if (same.length === 1) return matched('title_year', same[0]!);
  if (same.length > 1) return ambiguous(same);
  const near = exact.filter((t) => nearYear(t, year));
  if (near.length === 1)
    return matched('title_year_near', near[0]!, `catalog year ${near[0]!.year}, file year ${year}`);
  if (near.length > 1) return ambiguous(near);
  // Loose forms ("Pusher II" ~ "Pusher 2") and subtitle parts ("X2: X-Men United" ~ "X2") are
  // weaker evidence: same year only, as in the resolver, and the report says which title it took.
  const looseSame = loose.filter((t) => t.year === year);
  if (looseSame.length === 1) return matched('title_year', looseSame[0]!, `loose title match: ${looseSame[0]!.title}`);
  if (looseSame.length > 1) return ambiguous(looseSame);
  const undated = exact.filter((t) => t.year === null);
  if (undated.length === 1) return matched('title', undated[0]!, 'the catalog has no year for this title');
  // One source can give a title the wrong IMDb id (JustWatch has Stranger Things as tt4575572, IMDb tt4574334): the
  // same name and the same year is one work, and the report says which ids disagreed.
  const otherId = all.filter((c) => c.normTitles.includes(k.norm) && !fits(c)).map(toTitle);
  const otherIdSame = otherId.filter((t) => t.year === year);
  if (otherIdSame.length === 1)
    return matched(
      'title_year',
      otherIdSame[0]!,
      `same name and year; the catalog gives it IMDb id ${otherIdSame[0]!.imdb}, the file ${rowImdb}`,
    );
  if (exact.length > 0)
    return {
      status: 'unmatched',
      reason: 'not_in_catalog',
      detail: `the catalog has this name only from ${[...new Set(exact.map((t) => t.year))].join(', ')}, not ${year}`,
    };
  return undefined;
}
