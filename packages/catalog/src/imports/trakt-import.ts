import { type TitleKind, toImdbId } from '@media-gateway/domain';
import { type ImportRow, type ImportSignal, isoDate, parseYear, starsToRating } from './import-row.ts';

type TraktKind = 'history' | 'ratings' | 'watchlist';

interface TraktMedia {
  title?: unknown;
  year?: unknown;
  ids?: { imdb?: unknown; tmdb?: unknown; trakt?: unknown; slug?: unknown } | null;
}

/** Which Trakt list a JSON array is, from its first item's date key; undefined when it is none of them. */
export function traktKindOf(items: unknown[]): TraktKind | undefined {
  const first = items.find((i) => i && typeof i === 'object') as Record<string, unknown> | undefined;
  if (!first || !('movie' in first || 'show' in first)) return undefined;
  if ('watched_at' in first || 'last_watched_at' in first) return 'history';
  if ('rated_at' in first && 'rating' in first) return 'ratings';
  if ('listed_at' in first) return 'watchlist';
  return undefined;
}

/**
 * Trakt's JSON, as its API (/sync/history, /sync/ratings, /sync/watchlist) and its data export
 * write it: `[{watched_at, action, type, movie|episode+show}]`, `[{rated_at, rating 1–10, type,
 * movie|show|…}]`, `[{listed_at, type, movie|show|…}]`, plus the watched summary
 * `[{plays, last_watched_at, movie|show}]`. An episode or season stands for its show (the catalog
 * lists whole series); a rating of one episode says too little about the show and is not used.
 */
export function traktRows(items: unknown[], kind: TraktKind): ImportRow[] {
  return items.map((raw, i) => {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const type = String(item['type'] ?? (item['movie'] ? 'movie' : item['show'] ? 'show' : ''));
    const media = (type === 'movie' ? item['movie'] : item['show']) as TraktMedia | undefined;
    const titleKind: TitleKind = type === 'movie' ? 'movie' : 'series';
    const title = typeof media?.title === 'string' ? media.title.trim() : '';
    const year = parseYear(media?.year as number | undefined);
    const tmdbNumber = Number(media?.ids?.tmdb);
    const at = isoDate(
      String(item['watched_at'] ?? item['last_watched_at'] ?? item['rated_at'] ?? item['listed_at'] ?? ''),
    );
    const row: ImportRow = {
      row: i + 1,
      title,
      year,
      kind: titleKind,
      imdb: toImdbId(typeof media?.ids?.imdb === 'string' ? media.ids.imdb : undefined),
      tmdb:
        Number.isInteger(tmdbNumber) && tmdbNumber > 0
          ? `${titleKind === 'movie' ? 'movie' : 'tv'}:${tmdbNumber}`
          : undefined,
      guesses: title ? [{ title, year, kind: titleKind }] : [],
      signals: [],
      at,
    };
    if (!media || !['movie', 'show', 'episode', 'season'].includes(type))
      return { ...row, problem: { reason: 'invalid', detail: `no movie or show in item (type "${type}")` } };
    if (!title && !row.imdb && !row.tmdb)
      return { ...row, problem: { reason: 'invalid', detail: 'the item names no title and no id' } };
    let signal: ImportSignal;
    if (kind === 'history') signal = { type: 'complete' };
    else if (kind === 'watchlist') signal = { type: 'watchlist' };
    else {
      if (type === 'episode' || type === 'season')
        return { ...row, problem: { reason: 'unsupported', detail: `a rating of one ${type}, not of the show` } };
      const score = Number(item['rating']);
      if (!Number.isInteger(score) || score < 1 || score > 10)
        return { ...row, problem: { reason: 'invalid', detail: `rating "${String(item['rating'])}" is not 1–10` } };
      signal = { type: 'rating', value: starsToRating(score / 2), original: String(score) };
    }
    return { ...row, signals: [signal] };
  });
}
