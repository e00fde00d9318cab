import { z } from 'zod';

// Wire shapes of the imports from other trackers (POST /api/me/import, GET /api/me/imports[/:id]).
// The enums mirror @media-gateway/catalog's parsers and matcher (IMPORT_FORMATS, MatchHow,
// UnmatchedReason); the gateway's import test parses real answers with these schemas.

export const ImportFormatSchema = z.enum([
  'letterboxd-watched',
  'letterboxd-ratings',
  'letterboxd-watchlist',
  'letterboxd-diary',
  'imdb-ratings',
  'imdb-watchlist',
  'trakt-history',
  'trakt-ratings',
  'trakt-watchlist',
  'netflix-history',
]);
export const MatchHowSchema = z.enum(['imdb', 'tmdb', 'title_year', 'title_year_near', 'title']);
export const UnmatchedReasonSchema = z.enum(['not_in_catalog', 'ambiguous', 'no_year', 'unsupported', 'invalid']);

/** One row of the file and what became of it. */
export const ImportReportRowSchema = z.strictObject({
  /** Line (CSV, header = 1) or position (JSON, from 1). */
  row: z.number().int(),
  title: z.string(),
  year: z.number().int().nullable(),
  /** What the row asked for: rating, complete, watchlist, or complete+rating (a diary entry with a rating). */
  action: z.string(),
  /** The rating as the file wrote it (0.5–5 or 1–10) and as recorded (1–5). */
  rating: z.string().nullable(),
  value: z.number().int().nullable(),
  status: z.enum(['matched', 'unmatched']),
  how: MatchHowSchema.nullable(),
  titleId: z.string().nullable(),
  matchedTitle: z.string().nullable(),
  matchedYear: z.number().int().nullable(),
  reason: UnmatchedReasonSchema.nullable(),
  detail: z.string().nullable(),
  /** For matched rows: recorded now, or everything it says was already recorded by an earlier import. */
  outcome: z.enum(['imported', 'already_imported']).nullable(),
});
export type ImportReportRow = z.infer<typeof ImportReportRowSchema>;

export const ImportCountsSchema = z.strictObject({
  rows: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  imported: z.number().int(),
  alreadyImported: z.number().int(),
  how: z.record(MatchHowSchema, z.number().int()),
  reasons: z.record(UnmatchedReasonSchema, z.number().int()),
  events: z.strictObject({ recorded: z.number().int(), alreadyRecorded: z.number().int() }),
  watchlist: z.strictObject({ added: z.number().int(), alreadyOnList: z.number().int() }),
});
export type ImportCounts = z.infer<typeof ImportCountsSchema>;

/** POST /api/me/import (201) and each item of GET /api/me/imports. */
export const ImportSummarySchema = z.strictObject({
  id: z.string(),
  format: ImportFormatSchema,
  fileName: z.string().nullable(),
  createdAt: z.string(),
  counts: ImportCountsSchema,
  links: z.strictObject({ report: z.string(), csv: z.string() }),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export const ImportListSchema = z.strictObject({ imports: z.array(ImportSummarySchema) });
export type ImportList = z.infer<typeof ImportListSchema>;

/** GET /api/me/imports/:id: the summary and every row. */
export const ImportReportSchema = z.strictObject({
  ...ImportSummarySchema.shape,
  rows: z.array(ImportReportRowSchema),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;
