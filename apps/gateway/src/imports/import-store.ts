import type { Queryable } from '@media-gateway/db';
import type { ImportCounts, ImportReport, ImportReportRow, ImportSummary } from '@media-gateway/domain/contracts';

/** An import as stored in the `imports` table (migration 0070). */
export interface StoredImport {
  id: string;
  userId: string;
  format: ImportSummary['format'];
  fileName: string | null;
  createdAt: Date;
  counts: ImportCounts;
  rows: ImportReportRow[];
  eventIds: string[];
}

export async function saveImport(db: Queryable, imp: StoredImport): Promise<StoredImport> {
  await db.query(
    `INSERT INTO imports (id, user_id, format, file_name, created_at, counts, rows, event_ids)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    [
      imp.id,
      imp.userId,
      imp.format,
      imp.fileName,
      imp.createdAt,
      JSON.stringify(imp.counts),
      JSON.stringify(imp.rows),
      imp.eventIds,
    ],
  );
  return imp;
}

export function summaryOf(imp: Omit<StoredImport, 'rows' | 'eventIds' | 'userId'>): ImportSummary {
  const report = `/api/me/imports/${imp.id}`;
  return {
    id: imp.id,
    format: imp.format,
    fileName: imp.fileName,
    createdAt: new Date(imp.createdAt).toISOString(),
    counts: imp.counts,
    links: { report, csv: `${report}?format=csv` },
  };
}

interface ImportDbRow {
  id: string;
  format: ImportSummary['format'];
  file_name: string | null;
  created_at: Date;
  counts: ImportCounts;
}

const fromDb = (r: ImportDbRow) =>
  summaryOf({ id: r.id, format: r.format, fileName: r.file_name, createdAt: r.created_at, counts: r.counts });

/** The person's imports, newest first (summaries only). */
export async function listImports(db: Queryable, userId: string, limit: number): Promise<ImportSummary[]> {
  const { rows } = await db.query<ImportDbRow>(
    'SELECT id, format, file_name, created_at, counts FROM imports ' +
      'WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2',
    [userId, limit],
  );
  return rows.map(fromDb);
}

/** One import with every row, only if it is this person's. */
export async function getImport(db: Queryable, userId: string, id: string): Promise<ImportReport | undefined> {
  const { rows } = await db.query<ImportDbRow & { rows: ImportReportRow[] }>(
    'SELECT id, format, file_name, created_at, counts, rows FROM imports WHERE user_id = $1 AND id = $2',
    [userId, id],
  );
  const r = rows[0];
  return r ? { ...fromDb(r), rows: r.rows } : undefined;
}

/** Every import of a person with its rows, for their data export. */
export async function exportImports(db: Queryable, userId: string): Promise<ImportReport[]> {
  const { rows } = await db.query<ImportDbRow & { rows: ImportReportRow[] }>(
    'SELECT id, format, file_name, created_at, counts, rows FROM imports WHERE user_id = $1 ORDER BY created_at, id',
    [userId],
  );
  return rows.map((r) => ({ ...fromDb(r), rows: r.rows }));
}

const CSV_COLUMNS: Array<keyof ImportReportRow> = [
  'row',
  'title',
  'year',
  'action',
  'rating',
  'value',
  'status',
  'how',
  'titleId',
  'matchedTitle',
  'matchedYear',
  'reason',
  'detail',
  'outcome',
];

/**
 * A cell for a spreadsheet: quoted when needed, and text starting with = + - @ (which Excel or
 * Sheets would run as a formula, CWE-1236) prefixed with an apostrophe; titles come from the file.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: one line per row of the imported file. */
export function reportCsv(report: ImportReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of report.rows) lines.push(CSV_COLUMNS.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
