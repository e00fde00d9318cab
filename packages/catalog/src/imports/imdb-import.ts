import { type TitleKind, toImdbId } from '@media-gateway/domain';
import type { CsvRecord } from './import-csv.ts';
import { type ImportRow, isoDate, parseYear, starsToRating } from './import-row.ts';

/**
 * IMDb's list exports. Ratings: `Const,Your Rating,Date Rated,Title,[Original Title,]URL,Title Type,
 * IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors`. Watchlist (and any list):
 * `Position,Const,Created,Modified,Description,Title,[Original Title,]URL,Title Type,…,Year,…`.
 * `Const` is the title's tt-id, which is what we match on first.
 */
export function imdbRows(records: CsvRecord[], kind: 'ratings' | 'watchlist'): ImportRow[] {
  return records.map(({ line, values: v }) => {
    const title = (v['Title'] ?? '').trim();
    const original = (v['Original Title'] ?? '').trim();
    const year = parseYear(v['Year']);
    const type = titleType(v['Title Type']);
    const imdb = toImdbId(v['Const']);
    const guesses = [title, original]
      .filter((t, i, all) => t && all.indexOf(t) === i)
      .map((t) => ({ title: t, year, kind: type.kind }));
    const row: ImportRow = {
      row: line,
      title: title || original,
      year,
      kind: type.kind,
      imdb,
      guesses,
      signals: [],
      at: isoDate(kind === 'ratings' ? v['Date Rated'] : v['Created']),
    };
    if (!title && !imdb)
      return { ...row, problem: { reason: 'invalid', detail: 'the row has neither Const nor Title' } };
    if (type.unsupported) return { ...row, problem: { reason: 'unsupported', detail: type.unsupported } };
    if (kind === 'watchlist') return { ...row, signals: [{ type: 'watchlist' }] };
    const raw = (v['Your Rating'] ?? '').trim();
    const score = Number(raw);
    if (!raw || !Number.isInteger(score) || score < 1 || score > 10)
      return { ...row, problem: { reason: 'invalid', detail: `rating "${raw}" is not 1–10` } };
    return { ...row, signals: [{ type: 'rating', value: starsToRating(score / 2), original: raw }] };
  });
}

/** IMDb's Title Type, old spelling (`tvSeries`) or new (`TV Series`), as our kind. */
function titleType(raw: string | undefined): { kind?: TitleKind; unsupported?: string } {
  const t = (raw ?? '').replace(/[\s_-]/g, '').toLowerCase();
  if (!t) return {};
  if (t.includes('episode')) return { unsupported: 'an episode: the catalog lists whole series' };
  if (t.includes('game')) return { unsupported: 'a video game' };
  if (t.includes('podcast')) return { unsupported: 'a podcast' };
  if (t.includes('series')) return { kind: 'series' };
  return { kind: 'movie' };
}
