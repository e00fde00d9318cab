import type { Queryable } from '@media-gateway/db';
import { orTsQuery, queryTerms } from './filters.ts';

export interface Scored {
  id: string;
  score: number;
}

/**
 * Weighted full text (title A > people B > genres C > description D; migration 0030), ranked by
 * `ts_rank` with its default weights 1.0/0.4/0.2/0.1 (`ts_rank_cd` measured 3× slower on PGlite).
 * Every word first (AND): selective and fast on the GIN index; when that finds fewer than
 * 20 titles, any word (OR, last word as a prefix). `to_tsquery` gets only letters and
 * digits joined by our own operators, so user text cannot form tsquery syntax.
 */
export async function lexicalSearch(
  db: Queryable,
  text: string,
  limit: number,
  popularityScale = 20,
): Promise<Scored[]> {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const run = async (tsq: string, n = limit) =>
    (
      await db.query<{ id: string; score: number }>(
        `SELECT t.id, ts_rank(t.search_tsv, q)::float8 * (1 + coalesce(t.popularity, 0) / $3::float8) AS score
     FROM titles t, to_tsquery('english', $1) q
     WHERE t.search_tsv @@ q ORDER BY score DESC, t.id LIMIT $2`,
        [tsq, n, popularityScale],
      )
    ).rows;
  // Prefix matching lives in the in-memory title channel; here exact lexemes keep the GIN scan cheap.
  const all = await run(terms.join(' & '));
  if (terms.length === 1 || all.length >= 20) return all;
  const any = await run(orTsQuery(terms), Math.min(limit, 200));
  const seen = new Set(all.map((h) => h.id));
  // AND matches first: they carry every word the person typed.
  const top = all.length ? all[0]!.score : 0;
  return [...all.map((h) => ({ id: h.id, score: h.score + top })), ...any.filter((h) => !seen.has(h.id))];
}
