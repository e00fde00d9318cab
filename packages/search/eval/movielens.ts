import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '@media-gateway/db';

/** Minimal RFC 4180 line splitter (MovieLens quotes tags and titles that contain commas). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * MovieLens movie ids to our catalog's title ids, through the IMDb ids of `links.csv` and of the catalog's
 * external ids: a function returning undefined for a film the catalog does not have.
 */
export async function movieLensTitles(
  db: Queryable,
  datasets: string,
): Promise<(movieId: string) => string | undefined> {
  const links = csvRows(readFileSync(join(datasets, 'movielens', 'ml-latest-small', 'links.csv'), 'utf8')).slice(1);
  const imdbOf = new Map(links.filter((r) => r[1]).map((r) => [r[0]!, `tt${r[1]!.padStart(7, '0')}`]));
  const { rows } = await db.query<{ value: string; title_id: string }>(
    "SELECT value, title_id FROM external_ids WHERE namespace = 'imdb'",
  );
  const byImdb = new Map(rows.map((r) => [r.value, r.title_id]));
  return (movieId) => {
    const imdb = imdbOf.get(movieId);
    return imdb ? byImdb.get(imdb) : undefined;
  };
}

/** Tags that say where a film sits in someone's lists, not what it is about. */
const META_TAGS = /queue|watched|seen|to see|want to|dvd|bd-r|owned|library|imdb top|netflix|r\)|rated|oscar/;

/**
 * Relevance sets from MovieLens user tags: the tag (lower-cased) is the query; the movies tagged
 * with it that exist in our catalog (joined by IMDb id) are the relevant titles.
 */
export async function tagQueries(
  db: Queryable,
  datasets: string,
  minRelevant = 2,
): Promise<Array<{ query: string; relevant: Set<string> }>> {
  const dir = join(datasets, 'movielens', 'ml-latest-small');
  const titleOf = await movieLensTitles(db, datasets);
  const byTag = new Map<string, Set<string>>();
  for (const r of csvRows(readFileSync(join(dir, 'tags.csv'), 'utf8')).slice(1)) {
    const tag = (r[2] ?? '').trim().toLowerCase();
    const id = titleOf(r[1] ?? '');
    if (!tag || !id || META_TAGS.test(tag)) continue;
    const set = byTag.get(tag) ?? new Set<string>();
    set.add(id);
    byTag.set(tag, set);
  }
  return [...byTag.entries()]
    .filter(([, s]) => s.size >= minRelevant)
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .map(([query, relevant]) => ({ query, relevant }));
}

export function ndcg10(ranked: string[], relevant: Set<string>): number {
  let dcg = 0;
  ranked.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  return idcg ? dcg / idcg : 0;
}

export function mrr10(ranked: string[], relevant: Set<string>): number {
  const i = ranked.slice(0, 10).findIndex((id) => relevant.has(id));
  return i < 0 ? 0 : 1 / (i + 1);
}

/** The seed eval:search and the tuning aids use unless `--seed` says otherwise. */
export const DEFAULT_SPLIT_SEED = 15;
/** How many tag queries go to the tuning split by default (the rest, 45 of 105, are held out). */
export const DEFAULT_TUNING_QUERIES = 60;

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The tuning / held-out split of the tag queries: a Fisher–Yates shuffle with a fixed seed of the
 * list `tagQueries` returns (itself in a fixed order), cut to `maxQueries`, then the first `tuning`
 * queries tune and the rest are held out. Every tuning choice (fusion method, channel weights) is
 * made on `tuning` only; `heldout` is only ever scored.
 */
export function splitTagQueries<T>(
  tags: readonly T[],
  options: { seed?: number; tuning?: number; maxQueries?: number } = {},
): { tuning: T[]; heldout: T[]; seed: number } {
  const seed = options.seed ?? DEFAULT_SPLIT_SEED;
  const random = seededRandom(seed);
  const shuffled = [...tags];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const all = shuffled.slice(0, options.maxQueries ?? shuffled.length);
  const n = Math.min(options.tuning ?? DEFAULT_TUNING_QUERIES, all.length);
  return { tuning: all.slice(0, n), heldout: all.slice(n), seed };
}
