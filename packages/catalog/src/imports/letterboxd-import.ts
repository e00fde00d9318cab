import type { CsvRecord } from './import-csv.ts';
import { type ImportRow, type ImportSignal, isoDate, parseYear, starsToRating } from './import-row.ts';

/** Columns every Letterboxd export CSV has; ratings add Rating, the diary adds Rating,Rewatch,Tags,Watched Date. */
export const LETTERBOXD_COLUMNS = ['Date', 'Name', 'Year', 'Letterboxd URI'];

type LetterboxdKind = 'watched' | 'ratings' | 'watchlist' | 'diary';

/**
 * Letterboxd's export CSVs (Settings → Import & Export): every row is a film (Letterboxd lists
 * films only), named with its release year; ratings are 0.5–5 in half stars. The diary has one
 * row per logged watch, dated by `Watched Date` (Date is when it was logged).
 */
export function letterboxdRows(records: CsvRecord[], kind: LetterboxdKind): ImportRow[] {
  return records.map(({ line, values: v }) => {
    const title = (v['Name'] ?? '').trim();
    const year = parseYear(v['Year']);
    const at = isoDate(kind === 'diary' ? v['Watched Date'] || v['Date'] : v['Date']);
    const row: ImportRow = {
      row: line,
      title,
      year,
      kind: 'movie',
      guesses: title ? [{ title, year, kind: 'movie' }] : [],
      signals: [],
      at,
    };
    if (!title) return { ...row, problem: { reason: 'invalid', detail: 'the row has no Name' } };
    const signals: ImportSignal[] = [];
    if (kind === 'watchlist') signals.push({ type: 'watchlist' });
    if (kind === 'watched' || kind === 'diary') signals.push({ type: 'complete' });
    const rawRating = (v['Rating'] ?? '').trim();
    if (kind === 'ratings' || (kind === 'diary' && rawRating)) {
      const stars = Number(rawRating);
      if (!rawRating || !Number.isFinite(stars) || stars < 0.5 || stars > 5 || (stars * 2) % 1 !== 0)
        return { ...row, problem: { reason: 'invalid', detail: `rating "${rawRating}" is not 0.5–5 in half stars` } };
      signals.push({ type: 'rating', value: starsToRating(stars), original: rawRating });
    }
    return { ...row, signals };
  });
}
