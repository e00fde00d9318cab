import type { Queryable } from '@media-gateway/db';
import type { YoutubeAnchor } from '../sources/youtube/youtube-source.ts';

/** search.list is limited to ~100 calls a day (EXTERNAL-APIS.md §5): look up at most this many titles per run. */
export const YOUTUBE_ANCHORS_PER_RUN = 90;

/**
 * Titles YouTube is searched for: catalog films with an IMDb id (so a match resolves by id, not
 * by a guess), most popular first, skipping those YouTube was already asked about recently.
 */
export async function youtubeAnchorsFromCatalog(
  db: Queryable,
  region: string,
  limit = YOUTUBE_ANCHORS_PER_RUN,
): Promise<YoutubeAnchor[]> {
  const res = await db.query<{ title: string; year: number | null; runtime_minutes: number | null; imdb: string }>(
    `SELECT t.title, t.year, t.runtime_minutes, e.value AS imdb
     FROM titles t JOIN external_ids e ON e.title_id = t.id AND e.namespace = 'imdb'
     WHERE t.kind = 'movie' AND NOT EXISTS (
       SELECT 1 FROM title_sources s WHERE s.title_id = t.id AND s.source = $1
         AND s.last_seen > now() - interval '7 days')
     ORDER BY t.popularity DESC NULLS LAST, t.id LIMIT $2`,
    [`youtube:${region}`, limit],
  );
  return res.rows.map((r) => ({
    title: r.title,
    imdb: r.imdb,
    ...(r.year ? { year: r.year } : {}),
    ...(r.runtime_minutes ? { runtimeMinutes: r.runtime_minutes } : {}),
  }));
}
