import type { Queryable } from '@media-gateway/db';

/** Global adapter half-life: interest fades by half every three days. */
export const TREND_HALF_LIFE_MS = 3 * 86_400_000;
/** A person adds at most 2 to a title (their capped interest), so this takes more than one person. */
export const TREND_MIN_SCORE = 2.5;

interface Cell { score: number; at: number }

/**
 * The global adapter: a time-decayed interest score per (region, platform, title), fed by every
 * positive event and persisted in rec_trends. Scores are stored as of their last update and
 * decayed on read, so nothing needs a periodic sweep.
 */
export class TrendStore {
  private readonly cells = new Map<string, Map<string, Cell>>();

  static async load(db: Queryable): Promise<TrendStore> {
    const store = new TrendStore();
    const { rows } = await db.query<{ region: string; platform: string; title_id: string; score: number; updated_at: Date }>(
      'SELECT region, platform, title_id, score, updated_at FROM rec_trends',
    );
    for (const r of rows) store.cell(r.region, r.platform).set(r.title_id, { score: r.score, at: r.updated_at.getTime() });
    return store;
  }

  private cell(region: string, platform: string): Map<string, Cell> {
    const key = `${region}|${platform}`;
    let m = this.cells.get(key);
    if (!m) {
      m = new Map();
      this.cells.set(key, m);
    }
    return m;
  }

  /** Adds `weight` at time `at`; returns the rows to persist. */
  add(region: string, platforms: readonly string[], titleId: string, weight: number, at: number): Array<[string, string, string, number, Date]> {
    const out: Array<[string, string, string, number, Date]> = [];
    for (const platform of platforms) {
      const m = this.cell(region, platform);
      const prev = m.get(titleId);
      const at2 = Math.max(at, prev?.at ?? at);
      const score = (prev ? prev.score * 2 ** (-(at2 - prev.at) / TREND_HALF_LIFE_MS) : 0) + weight * 2 ** (-(at2 - at) / TREND_HALF_LIFE_MS);
      m.set(titleId, { score, at: at2 });
      out.push([region, platform, titleId, score, new Date(at2)]);
    }
    return out;
  }

  static async persist(db: Queryable, rows: Array<[string, string, string, number, Date]>): Promise<void> {
    for (const [region, platform, titleId, score, at] of rows) {
      await db.query(
        `INSERT INTO rec_trends (region, platform, title_id, score, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (region, platform, title_id) DO UPDATE SET score = EXCLUDED.score, updated_at = EXCLUDED.updated_at`,
        [region, platform, titleId, score, at],
      );
    }
  }

  /** Decayed score per title on the given platforms (max over platforms, with the winning platform). */
  scores(region: string, platforms: readonly string[], now: number): Map<string, { score: number; platform: string }> {
    const out = new Map<string, { score: number; platform: string }>();
    for (const platform of platforms) {
      for (const [id, c] of this.cells.get(`${region}|${platform}`) ?? []) {
        const s = c.score * 2 ** (-Math.max(0, now - c.at) / TREND_HALF_LIFE_MS);
        if (s > (out.get(id)?.score ?? 0)) out.set(id, { score: s, platform });
      }
    }
    return out;
  }
}
