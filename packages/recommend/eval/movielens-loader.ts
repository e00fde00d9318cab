import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemInput } from '../src/item-table.ts';

/** A CSV line splitter that honours quotes (movies.csv has titles with commas). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export interface Rating {
  user: string;
  item: string;
  rating: number;
  at: number;
}

export interface MovieLens {
  movies: ItemInput[];
  ratings: Rating[];
}

/** Reads ml-latest-small: movies (title, year from the title, genres) and ratings in time order. */
export function loadMovieLens(dir: string): MovieLens {
  const movies: ItemInput[] = [];
  const movieLines = readFileSync(join(dir, 'movies.csv'), 'utf8').split(/\r?\n/).slice(1);
  for (const line of movieLines) {
    if (!line.trim()) continue;
    const [id, title, genres] = splitCsvLine(line);
    const year = /\((\d{4})\)\s*$/.exec(title ?? '')?.[1];
    movies.push({
      id: id!,
      title: title!,
      kind: 'movie',
      year: year ? Number(year) : null,
      genres: genres === '(no genres listed)' ? [] : (genres ?? '').split('|'),
    });
  }
  const ratings: Rating[] = [];
  const ratingLines = readFileSync(join(dir, 'ratings.csv'), 'utf8').split(/\r?\n/).slice(1);
  for (const line of ratingLines) {
    if (!line.trim()) continue;
    const [user, item, rating, ts] = line.split(',');
    ratings.push({ user: user!, item: item!, rating: Number(rating), at: Number(ts) * 1000 });
  }
  ratings.sort((a, b) => a.at - b.at);
  return { movies, ratings };
}

/** Per-user temporal split: each person's oldest 80 % train, newest 20 % test. */
export function temporalSplit(
  ratings: readonly Rating[],
  trainShare = 0.8,
): { train: Map<string, Rating[]>; test: Map<string, Rating[]> } {
  const byUser = new Map<string, Rating[]>();
  for (const r of ratings) {
    const list = byUser.get(r.user) ?? [];
    list.push(r);
    byUser.set(r.user, list);
  }
  const train = new Map<string, Rating[]>();
  const test = new Map<string, Rating[]>();
  for (const [user, list] of byUser) {
    const cut = Math.max(1, Math.floor(list.length * trainShare));
    train.set(user, list.slice(0, cut));
    test.set(user, list.slice(cut));
  }
  return { train, test };
}
