import { DomainError } from '@media-gateway/domain';
import { parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** Line of the record's first character in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

/** The header cells of a CSV text (BOM and surrounding spaces removed), or [] when it has none. */
export function csvHeader(text: string): string[] {
  const rows = parse(text, { bom: true, to_line: 1, relax_column_count: true, relax_quotes: true }) as string[][];
  return (rows[0] ?? []).map((h) => h.trim());
}

/**
 * Every record of a CSV text keyed by header (quoted commas, quoted newlines, CRLF and a BOM
 * handled by csv-parse, the parser catalog ingestion uses). Malformed CSV is the caller's 400.
 */
/** The file's records; with `maxRecords`, parsing stops after that many. */
export function csvRecords(text: string, maxRecords?: number): CsvRecord[] {
  try {
    // csv-parse counts a CRLF inside quotes as two lines; with LF only, info.lines is the line a
    // record ends on, and it starts that many lines earlier as its quoted values hold newlines.
    const items = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      ...(maxRecords ? { to: maxRecords } : {}),
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    return items.map(({ record, info }) => ({
      line: info.lines - Object.values(record).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0),
      values: record,
    }));
  } catch (error) {
    throw new DomainError('INVALID_INPUT', `The file is not readable CSV: ${(error as Error).message}`);
  }
}
