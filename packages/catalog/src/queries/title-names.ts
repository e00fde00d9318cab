import type { Queryable } from '@media-gateway/db';

export interface TitleName {
  title: string;
  year: number | null;
  type: 'movie' | 'series';
}

/**
 * Name, year and type of many titles in one query, for lists that hold ids (a watchlist): a reader sees what each
 * entry is without fetching every title. Ids no longer in the catalog are absent from the map.
 */
export async function loadTitleNames(db: Queryable, ids: readonly string[]): Promise<Map<string, TitleName>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; title: string; year: number | null; kind: 'movie' | 'series' }>(
    'SELECT id, title, year, kind FROM titles WHERE id = ANY($1::text[])',
    [[...ids]],
  );
  return new Map(rows.map((r) => [r.id, { title: r.title, year: r.year, type: r.kind }]));
}
