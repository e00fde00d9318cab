import type { CsvRecord } from './import-csv.ts';
import type { ImportRow, TitleGuess } from './import-row.ts';

/**
 * "Season 1", "Series 2" (UK), "Part 3", "Volume 1", "Book 2",
 * "Chapter 4", "Collection 1", "Limited Series", "Miniseries".
 */
const SEASON_MARKER =
  /^(?:season|series|part|vol(?:ume|\.)?|book|chapter|collection)\s+\S+|^(?:limited series|miniseries)$/i;

/**
 * What a Netflix title names. Episodes are written `Show: Season 1: Episode`, so a season marker
 * followed by an episode means the series is everything before it: "Narcos: Mexico: Season 1: Camelot"
 * is Narcos: Mexico, "Avatar: The Last Airbender: Book 1: Water: …" is Avatar: The Last Airbender. Otherwise the
 * whole title is tried first (films have colons too: "Spider-Man: Into the Spider-Verse"), then each shorter
 * run of parts as a series, longest first ("Our Planet: One Planet" is an episode whose season Netflix does not
 * name). A marker in the last part is a film's ("Kill Bill: Volume 1").
 */
export function netflixGuesses(raw: string): TitleGuess[] {
  const parts = raw.split(/:\s+/).map((p) => p.trim());
  const marker = parts.findIndex((p, i) => i >= 1 && i < parts.length - 1 && SEASON_MARKER.test(p));
  if (marker >= 1 && parts[0]) return [{ title: parts.slice(0, marker).join(': '), kind: 'series' }];
  if (parts.length < 2 || !parts[0]) return [{ title: raw }];
  const guesses: TitleGuess[] = [{ title: raw }];
  for (let n = parts.length - 1; n >= 1; n--) guesses.push({ title: parts.slice(0, n).join(': '), kind: 'series' });
  return guesses;
}

/**
 * Reads `12/31/21`, `31/12/2021`, `31.12.21` or `2021-12-31`. Netflix writes the viewer's locale,
 * so the day/month order is decided once for the whole file: a first number above 12 means day
 * first, a second above 12 month first, dots mean day first, and US order is the default.
 */
export function netflixDateReader(rawDates: string[]): (raw: string) => string | undefined {
  let dayFirst = false;
  let monthFirst = false;
  let dots = false;
  for (const raw of rawDates) {
    const m = /^(\d{1,2})([/.])(\d{1,2})\2\d{2,4}$/.exec(raw.trim());
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[3]) > 12) monthFirst = true;
    if (m[2] === '.') dots = true;
  }
  const order: 'dmy' | 'mdy' = dayFirst && !monthFirst ? 'dmy' : monthFirst ? 'mdy' : dots ? 'dmy' : 'mdy';
  return (raw) => {
    const text = raw.trim();
    const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
    if (iso) return toIso(Number(iso[1]), Number(iso[2]), Number(iso[3]), iso[4], iso[5], iso[6]);
    const m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$/.exec(text);
    if (!m) return undefined;
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const [month, day] = order === 'mdy' ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    return toIso(year, month, day);
  };
}

function toIso(year: number, month: number, day: number, hh = '0', mm = '0', ss = '0'): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, Number(hh), Number(mm), Number(ss)));
  // Date.UTC rolls 31/02 over into March; a date that does not exist is unreadable, not moved.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString();
}

/**
 * Netflix viewing activity: the profile page's download (`Title,Date`, NetflixViewingHistory.csv)
 * or the account data request's ViewingActivity.csv (`Profile Name,Start Time,…,Title,Supplemental
 * Video Type,…`, where trailers and teasers carry a supplemental type and are not viewing).
 * Every row is a watch of a film or an episode; the file gives no years.
 */
export function netflixRows(records: CsvRecord[]): ImportRow[] {
  const dateOf = (v: Record<string, string>) => v['Date'] ?? v['Start Time'] ?? '';
  const readDate = netflixDateReader(records.map((r) => dateOf(r.values)));
  return records.map(({ line, values: v }) => {
    const title = (v['Title'] ?? '').trim();
    const rawDate = dateOf(v);
    const row: ImportRow = {
      row: line,
      title,
      guesses: title ? netflixGuesses(title) : [],
      signals: [{ type: 'complete' }],
      at: readDate(rawDate),
    };
    if (!title) return { ...row, problem: { reason: 'invalid', detail: 'the row has no Title' } };
    const supplemental = (v['Supplemental Video Type'] ?? '').trim();
    if (supplemental)
      return { ...row, problem: { reason: 'unsupported', detail: `a ${supplemental.toLowerCase()}, not a viewing` } };
    if (rawDate.trim() && !row.at)
      return { ...row, problem: { reason: 'invalid', detail: `date "${rawDate}" is not readable` } };
    return row;
  });
}
