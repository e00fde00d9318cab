import type { Queryable } from '@media-gateway/db';

/** Global adapter half-life: interest fades by half every three days. */
export const TREND_HALF_LIFE_MS = 3 * 86_400_000;
/** A person adds at most 2 to a title (their capped interest), so this takes more than one person. */
export const TREND_MIN_SCORE = 2.5;
/** How long one replica serves trends it read before asking the database again. */
export const TREND_CACHE_MS = 2000;
/** Trending titles read per (region, services): far more than any list shows. */
const TREND_READ_LIMIT = 500;

export interface TrendContribution {
  region: string;
  platform: string;
  titleId: string;
  weight: number;
  at: number;
}
export interface TrendCell {
  score: number;
  platform: string;
}

const HALF_LIFE_S = TREND_HALF_LIFE_MS / 1000;
/**
 * At most this many half-lives of decay in SQL: PostgreSQL raises "value out of range: underflow" when
 * power() rounds to 0 (2^-1075, ~9 years of 3-day half-lives), which once made events dated years back
 * (imports, replayed history) a 500. 2^-200 is already nothing next to TREND_MIN_SCORE.
 */
const MAX_HALF_LIVES = 200;
/** 2^-(half-lives between `later` and `earlier`), never below 2^-MAX_HALF_LIVES. */
const decay = (later: string, earlier: string, h: string) =>
  `power(2::float8, -least(${MAX_HALF_LIVES}, ` +
  `greatest(0, extract(epoch FROM (${later} - ${earlier}))::float8) / ${h}))`;
/** `score` decayed from `updated_at` to the time in `$n` (seconds of half-life in `$h`). */
const decayedTo = (time: string, h: string) => decay(time, 'updated_at', h);

/**
 * The global adapter: a time-decayed interest score per (region, platform, title) in rec_trends.
 * The decay-and-add runs inside the database as one atomic upsert, so several replicas feeding the
 * same title never lose each other's increments; reads decay to "now" in SQL as well. Each replica
 * keeps a short read cache per (region, platforms), dropped whenever it writes.
 */
export class TrendStore {
  private readonly cache = new Map<string, { at: number; cells: Map<string, TrendCell> }>();

  /** Adds every contribution (decayed to its own time) to the stored scores, atomically. */
  async record(db: Queryable, contributions: readonly TrendContribution[]): Promise<void> {
    if (contributions.length === 0) return;
    // One row per key per statement (an upsert may not touch a row twice): fold duplicates first.
    const folded = new Map<string, TrendContribution>();
    for (const c of contributions) {
      const key = `${c.region}\u0000${c.platform}\u0000${c.titleId}`;
      const prev = folded.get(key);
      if (!prev) {
        folded.set(key, { ...c });
        continue;
      }
      const at = Math.max(prev.at, c.at);
      prev.weight =
        prev.weight * 2 ** (-(at - prev.at) / TREND_HALF_LIFE_MS) + c.weight * 2 ** (-(at - c.at) / TREND_HALF_LIFE_MS);
      prev.at = at;
    }
    const rows = [...folded.values()];
    await db.query(
      `INSERT INTO rec_trends AS t (region, platform, title_id, score, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
       ON CONFLICT (region, platform, title_id) DO UPDATE SET
         score = t.score * ${decay('EXCLUDED.updated_at', 't.updated_at', '$6')}
               + EXCLUDED.score * ${decay('t.updated_at', 'EXCLUDED.updated_at', '$6')},
         updated_at = greatest(t.updated_at, EXCLUDED.updated_at)`,
      [
        rows.map((r) => r.region),
        rows.map((r) => r.platform),
        rows.map((r) => r.titleId),
        rows.map((r) => r.weight),
        rows.map((r) => new Date(r.at)),
        HALF_LIFE_S,
      ],
    );
    this.cache.clear();
  }

  /**
   * Titles trending (decayed score ≥ TREND_MIN_SCORE) on any of `platforms` in `region`, with the
   * best platform for each. Below the threshold it is one or two people, not a trend.
   */
  async scores(
    db: Queryable,
    region: string,
    platforms: readonly string[],
    now: number,
  ): Promise<Map<string, TrendCell>> {
    const key = `${region}|${platforms.join(',')}`;
    const hit = this.cache.get(key);
    if (hit && Math.abs(now - hit.at) < TREND_CACHE_MS) return hit.cells;
    const { rows } = await db.query<{ title_id: string; platform: string; s: number }>(
      `SELECT title_id, platform, s FROM (
         SELECT title_id, platform, score * ${decayedTo('$3::timestamptz', '$4')} AS s FROM rec_trends
         WHERE region = $1 AND platform = ANY($2::text[])
       ) d WHERE s >= $5 ORDER BY s DESC, title_id LIMIT ${TREND_READ_LIMIT}`,
      [region, [...platforms], new Date(now), HALF_LIFE_S, TREND_MIN_SCORE],
    );
    const cells = new Map<string, TrendCell>();
    for (const r of rows)
      if (!cells.has(r.title_id)) cells.set(r.title_id, { score: Number(r.s), platform: r.platform });
    this.cache.set(key, { at: now, cells });
    return cells;
  }

  /** Drops rows whose score has decayed to nothing (the retrain job calls this). */
  static async prune(db: Queryable, now: number, below = 0.01): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM rec_trends WHERE score * ${decayedTo('$1::timestamptz', '$2')} < $3 RETURNING 1) ` +
        `SELECT count(*)::int AS n FROM gone`,
      [new Date(now), HALF_LIFE_S, below],
    );
    return rows[0]?.n ?? 0;
  }
}
