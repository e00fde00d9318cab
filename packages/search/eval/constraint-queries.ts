import type { Queryable } from '@media-gateway/db';

/**
 * Queries whose correctness is decidable from metadata. Each carries a checker that reads the
 * title's facts straight from the database (not through the search engine's own predicate).
 */
export interface ConstraintQuery {
  query: string;
  check: (f: Facts) => boolean;
}
export interface Facts {
  kind: string;
  year: number | null;
  runtime: number | null;
  genres: string[];
  countries: string[];
  languages: string[];
  platforms: Set<string>;
}

const GENRES: Array<[string, string]> = [
  ['horror', 'horror'],
  ['comedies', 'comedy'],
  ['dramas', 'drama'],
  ['thrillers', 'thriller'],
  ['documentaries', 'documentary'],
  ['romance', 'romance'],
  ['westerns', 'western'],
  ['animated', 'animation'],
  ['crime', 'crime'],
  ['sci-fi', 'science-fiction'],
  ['fantasy', 'fantasy'],
];
const PLATFORMS: Array<[string, string]> = [
  ['Netflix', 'netflix'],
  ['Hulu', 'hulu'],
  ['Disney+', 'disney-plus'],
  ['Prime Video', 'prime-video'],
];
const NATIONS: Array<[string, string, string]> = [
  ['korean', 'KR', 'ko'],
  ['british', 'GB', '-'],
  ['japanese', 'JP', 'ja'],
  ['indian', 'IN', 'hi'],
  ['french', 'FR', 'fr'],
  ['spanish', 'ES', 'es'],
];

export function constraintQueries(): ConstraintQuery[] {
  const out: ConstraintQuery[] = [];
  for (const [gw, g] of GENRES) {
    for (const [pn, p] of PLATFORMS) {
      out.push({
        query: `${gw} movies on ${pn}`,
        check: (f) => f.kind === 'movie' && f.genres.includes(g) && f.platforms.has(p),
      });
    }
    out.push({
      query: `${gw} series from the 2010s`,
      check: (f) => f.kind === 'series' && f.genres.includes(g) && f.year !== null && f.year >= 2010 && f.year <= 2019,
    });
    out.push({
      query: `${gw} movies under 90 minutes`,
      check: (f) => f.kind === 'movie' && f.genres.includes(g) && f.runtime !== null && f.runtime <= 90,
    });
    out.push({
      query: `${gw} after 2015 not animated`,
      check: (f) => f.genres.includes(g) && f.year !== null && f.year >= 2016 && !f.genres.includes('animation'),
    });
  }
  for (const [nw, c, l] of NATIONS) {
    out.push({
      query: `${nw} thrillers`,
      check: (f) => (f.countries.includes(c) || f.languages.includes(l)) && f.genres.includes('thriller'),
    });
    out.push({
      query: `${nw} movies on Netflix`,
      check: (f) =>
        (f.countries.includes(c) || f.languages.includes(l)) && f.kind === 'movie' && f.platforms.has('netflix'),
    });
  }
  return out;
}

export async function loadFacts(db: Queryable, ids: string[], region: string): Promise<Map<string, Facts>> {
  const t = await db.query<{
    id: string;
    kind: string;
    year: number | null;
    runtime_minutes: number | null;
    genres: string[];
    countries: string[];
    languages: string[];
  }>('SELECT id, kind, year, runtime_minutes, genres, countries, languages FROM titles WHERE id = ANY($1::text[])', [
    ids,
  ]);
  const o = await db.query<{ title_id: string; platform: string }>(
    'SELECT title_id, platform FROM offers WHERE title_id = ANY($1::text[]) AND region = $2',
    [ids, region],
  );
  const out = new Map<string, Facts>();
  for (const r of t.rows)
    out.set(r.id, {
      kind: r.kind,
      year: r.year,
      runtime: r.runtime_minutes,
      genres: r.genres,
      countries: r.countries,
      languages: r.languages,
      platforms: new Set(),
    });
  for (const r of o.rows) out.get(r.title_id)?.platforms.add(r.platform);
  return out;
}
