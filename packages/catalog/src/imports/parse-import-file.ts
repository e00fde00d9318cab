import { DomainError } from '@media-gateway/domain';
import { csvHeader, csvRecords } from './import-csv.ts';
import { imdbRows } from './imdb-import.ts';
import { IMPORT_FORMATS, type ImportFormat, type ImportRow } from './import-row.ts';
import { LETTERBOXD_COLUMNS, letterboxdRows } from './letterboxd-import.ts';
import { netflixRows } from './netflix-import.ts';
import { traktKindOf, traktRows } from './trakt-import.ts';

/** Most rows one import reads: a decade of daily Netflix viewing is ~15,000 rows. */
export const IMPORT_MAX_ROWS = 50_000;

/** What the 400 answer lists when a file is none of the shapes we read. */
export const EXPECTED_SHAPES =
  'a Letterboxd export CSV (Date,Name,Year,Letterboxd URI[,Rating…]), ' +
  'an IMDb ratings or watchlist CSV (Const,Your Rating,Date Rated,… or Position,Const,Created,…), ' +
  'Trakt JSON (history, ratings or watchlist) or a Netflix viewing activity CSV (Title,Date)';

export interface ParsedImport {
  format: ImportFormat;
  rows: ImportRow[];
}

/** Bytes as text: UTF-8 (with or without BOM), else Windows-1252, which older IMDb exports used. */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const has = (header: string[], ...names: string[]) => names.every((n) => header.includes(n));

/** Columns a CSV format cannot do without: checked when ?format= names the format instead of the header. */
const REQUIRED_COLUMNS: Partial<Record<ImportFormat, string[]>> = {
  'letterboxd-watched': LETTERBOXD_COLUMNS,
  'letterboxd-ratings': [...LETTERBOXD_COLUMNS, 'Rating'],
  'letterboxd-watchlist': LETTERBOXD_COLUMNS,
  'letterboxd-diary': [...LETTERBOXD_COLUMNS, 'Watched Date'],
  'imdb-ratings': ['Const', 'Your Rating'],
  'imdb-watchlist': ['Const'],
  'netflix-history': ['Title'],
};

/** The format of a CSV from its header (and, for Letterboxd's two identical shapes, the file name). */
function csvFormat(header: string[], fileName: string | undefined): ImportFormat | undefined {
  if (has(header, ...LETTERBOXD_COLUMNS)) {
    if (has(header, 'Watched Date')) return 'letterboxd-diary';
    if (has(header, 'Rating')) return 'letterboxd-ratings';
    const name = (fileName ?? '').toLowerCase();
    if (/watchlist/.test(name)) return 'letterboxd-watchlist';
    if (/watched/.test(name)) return 'letterboxd-watched';
    throw new DomainError(
      'INVALID_INPUT',
      "Letterboxd's watched.csv and watchlist.csv have the same columns: keep the file name " +
        '(watched.csv or watchlist.csv) or pass format=letterboxd-watched or format=letterboxd-watchlist.',
      { expected: ['letterboxd-watched', 'letterboxd-watchlist'] },
    );
  }
  // A list export (the watchlist) has Position first and, today, "Your Rating" and "Date Rated" at its end too.
  if (has(header, 'Position', 'Const')) return 'imdb-watchlist';
  if (has(header, 'Const', 'Your Rating')) return 'imdb-ratings';
  if (has(header, 'Title', 'Date') || has(header, 'Title', 'Start Time', 'Profile Name')) return 'netflix-history';
  return undefined;
}

function shapeError(what: string): DomainError {
  return new DomainError('INVALID_INPUT', `${what}; expected ${EXPECTED_SHAPES}.`, { expected: IMPORT_FORMATS });
}

/**
 * Reads an export file of another tracker into rows. The format comes from `format` when given,
 * otherwise from the file's shape: the first bytes (JSON or CSV), the CSV header or the JSON keys.
 * Anything unreadable is INVALID_INPUT naming what was expected; never a crash.
 */
export function parseImportFile(
  bytes: Uint8Array,
  options: { format?: ImportFormat; fileName?: string } = {},
): ParsedImport {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    throw new DomainError(
      'INVALID_INPUT',
      'This is a ZIP archive. Unzip your Letterboxd export and upload its ' +
        'CSVs one at a time (ratings.csv, watched.csv, watchlist.csv, diary.csv).',
      { expected: IMPORT_FORMATS },
    );
  const text = decode(bytes).replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  let result: ParsedImport;
  if (first === '[' || first === '{') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw shapeError(`The file looks like JSON but does not parse (${(error as Error).message})`);
    }
    const items = Array.isArray(json) ? json : undefined;
    if (!items) throw shapeError('The JSON is an object, not a list of items');
    if (items.length === 0) throw shapeError('The JSON list is empty');
    const detected = traktKindOf(items);
    const kind = options.format?.startsWith('trakt-')
      ? (options.format.slice('trakt-'.length) as 'history' | 'ratings' | 'watchlist')
      : detected;
    if (!kind || (options.format && !options.format.startsWith('trakt-')))
      throw shapeError('The JSON items are not Trakt history, ratings or watchlist items');
    if (items.length > IMPORT_MAX_ROWS) throw tooManyRows();
    result = { format: `trakt-${kind}`, rows: traktRows(items, kind) };
  } else {
    let header: string[];
    try {
      header = csvHeader(text);
    } catch {
      throw shapeError('The file is neither JSON nor readable CSV');
    }
    const format = options.format ?? csvFormat(header, options.fileName);
    const shown = header.slice(0, 8).join(',') || 'empty';
    if (!format || format.startsWith('trakt-')) throw shapeError(`The header (${shown}) is not one we know`);
    const missing = (REQUIRED_COLUMNS[format] ?? []).filter((c) => !header.includes(c));
    if (missing.length)
      throw new DomainError(
        'INVALID_INPUT',
        `A ${format} file needs the column(s) ${missing.join(', ')}; the header is ${shown}.`,
        {
          expected: REQUIRED_COLUMNS[format],
        },
      );
    // Parsing stops one record past the limit: a file of millions of tiny rows is refused without reading them all.
    const records = csvRecords(text, IMPORT_MAX_ROWS + 1);
    if (records.length > IMPORT_MAX_ROWS) throw tooManyRows();
    result = { format, rows: csvRows(format, records) };
  }
  if (result.rows.length === 0) throw shapeError('The file has a header but no rows');
  return result;
}

function csvRows(format: ImportFormat, records: ReturnType<typeof csvRecords>): ImportRow[] {
  switch (format) {
    case 'letterboxd-watched':
    case 'letterboxd-ratings':
    case 'letterboxd-watchlist':
    case 'letterboxd-diary':
      return letterboxdRows(
        records,
        format.slice('letterboxd-'.length) as 'watched' | 'ratings' | 'watchlist' | 'diary',
      );
    case 'imdb-ratings':
      return imdbRows(records, 'ratings');
    case 'imdb-watchlist':
      return imdbRows(records, 'watchlist');
    case 'netflix-history':
      return netflixRows(records);
    default:
      throw shapeError(`${format} is a JSON format`);
  }
}

function tooManyRows(): DomainError {
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    `The file has more than ${IMPORT_MAX_ROWS} rows, the most one import reads. Split it and import the parts.`,
    { limit: IMPORT_MAX_ROWS },
  );
}
