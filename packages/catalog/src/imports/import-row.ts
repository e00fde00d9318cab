import type { TitleKind } from '@media-gateway/domain';
import { ImportFormatSchema } from '@media-gateway/domain/contracts';

/**
 * The export files we read, one id per file shape. Letterboxd's watched.csv and watchlist.csv have
 * the same columns, so the file name (or ?format=) tells them apart; every other shape is told by
 * its header or JSON keys (parse-import-file.ts). The list is the wire contract's, so the API and the
 * parsers cannot drift apart.
 */
export const IMPORT_FORMATS = ImportFormatSchema.options;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The tracker a format comes from: event ids are keyed by it, so watched.csv then diary.csv count a film once. */
export type ImportFamily = 'letterboxd' | 'imdb' | 'trakt' | 'netflix';

export function familyOf(format: ImportFormat): ImportFamily {
  return format.slice(0, format.indexOf('-')) as ImportFamily;
}

/** What a row asks us to record: a rating (already on our 1–5 scale), a completed watch, a watchlist add. */
export type ImportSignal =
  | { type: 'rating'; value: number; original: string }
  | { type: 'complete' }
  | { type: 'watchlist' };

/** One way to name the row's title; a row may offer several, tried in order (Netflix: whole title, then its series). */
export interface TitleGuess {
  title: string;
  year?: number | undefined;
  /** Only when the source says; otherwise both movies and series are candidates. */
  kind?: TitleKind | undefined;
}

/** One row of an export file, parsed but not yet matched to the catalog. */
export interface ImportRow {
  /** Line (CSV, header = 1) or position (JSON, from 1) in the file. */
  row: number;
  /** The title as the file writes it (for the report). */
  title: string;
  year?: number | undefined;
  kind?: TitleKind | undefined;
  /** Normalised `tt…` IMDb id, when the file gives one. */
  imdb?: string | undefined;
  /** TMDb id as the catalog keeps it: `movie:603` or `tv:1396`. */
  tmdb?: string | undefined;
  guesses: TitleGuess[];
  signals: ImportSignal[];
  /** When it happened (ISO), when the file says. */
  at?: string | undefined;
  /** Set when the row cannot be used at all; such rows go to the report as unmatched. */
  problem?: { reason: 'invalid' | 'unsupported'; detail: string } | undefined;
}

/**
 * Our ratings are 1–5 whole stars. Letterboxd's 0.5–5 half stars and IMDb/Trakt's 1–10 are both
 * read as stars (10-point ÷ 2) and rounded up: a half star is closer to the next star's meaning
 * than to nothing, and 0.5 must not become 0 (so ½→1, 3½→4, IMDb 7→4, 10→5).
 */
export function starsToRating(stars: number): number {
  return Math.min(5, Math.max(1, Math.ceil(stars)));
}

/** A date-only value (YYYY-MM-DD) as midnight UTC; full timestamps pass through as ISO. Undefined when unreadable. */
export function isoDate(raw: string | undefined): string | undefined {
  const text = (raw ?? '').trim();
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A 4-digit year between 1870 and 2100, or undefined. */
export function parseYear(raw: string | number | undefined | null): number | undefined {
  const text = String(raw ?? '').trim();
  if (!/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  return year >= 1870 && year <= 2100 ? year : undefined;
}
