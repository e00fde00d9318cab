import type { Queryable } from '@media-gateway/db';
import type { LexicalIndex } from '../index/lexical-index.ts';
import { orTsQuery, queryTerms } from './filters.ts';

export interface Scored {
  id: string;
  score: number;
}

/** The in-memory copy of the full-text column (decision 0055) and the popularity it multiplies by. */
export interface InMemoryLexical {
  index: LexicalIndex;
  popularity: (id: string) => number;
  /** `popularity` gives the same answer for a title while this stays the same (the index may remember it). */
  popularityVersion?: number;
}

/**
 * Weighted full text (title A > people B > genres C > description D; migration 0030), ranked by
 * `ts_rank` with its default weights 1.0/0.4/0.2/0.1 (`ts_rank_cd` measured 3× slower on PGlite).
 * Every word first (AND): selective and fast on the GIN index; when that finds fewer than
 * 20 titles, any word (OR). `to_tsquery` gets only letters and digits joined by our own operators,
 * so user text cannot form tsquery syntax.
 *
 * With `memory` (the usual case once the index is loaded) the same query runs on the in-memory copy
 * (`LexicalIndex`, same lexemes, same `ts_rank`); without it, PostgreSQL answers (decision 0055).
 */
export async function lexicalSearch(
  db: Queryable,
  text: string,
  limit: number,
  popularityScale = 20,
  memory?: InMemoryLexical,
): Promise<Scored[]> {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  let run: (mode: 'all' | 'any', n: number) => Promise<Scored[]> | Scored[];
  if (memory) {
    // A word with several lexemes (rare: letters and digits mixed) needs all of them, not their phrase.
    const lexemes = (await memory.index.lexemes(db, terms)).flat();
    run = (mode, n) =>
      memory.index.search(lexemes, mode, n, memory.popularity, popularityScale, memory.popularityVersion);
  } else {
    run = async (mode, n) =>
      (
        await db.query<{ id: string; score: number }>(
          `SELECT t.id, ts_rank(t.search_tsv, q)::float8 * (1 + coalesce(t.popularity, 0) / $3::float8) AS score
     FROM titles t, to_tsquery('english', $1) q
     WHERE t.search_tsv @@ q ORDER BY score DESC, t.id LIMIT $2`,
          [mode === 'all' ? terms.join(' & ') : orTsQuery(terms), n, popularityScale],
        )
      ).rows;
  }
  // Prefix matching lives in the in-memory title channel; here exact lexemes keep the GIN scan cheap.
  const all = await run('all', limit);
  if (terms.length === 1 || all.length >= 20) return all;
  const any = await run('any', Math.min(limit, 200));
  const seen = new Set(all.map((h) => h.id));
  // AND matches first: they carry every word the person typed.
  const top = all.length ? all[0]!.score : 0;
  return [...all.map((h) => ({ id: h.id, score: h.score + top })), ...any.filter((h) => !seen.has(h.id))];
}
