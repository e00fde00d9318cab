import type { Queryable } from '@media-gateway/db';
import type { ItemTable } from './item-table.ts';

/** An offer counts as "new on your services" for this long after it appeared. */
export const NEW_FOR_DAYS = 30;

interface OfferRow {
  title_id: string;
  platform: string;
  region: string;
  since: Date;
  first_seen?: Date;
  explicit?: boolean;
}

/** At most this many "new" titles per (region, services) enter retrieval: the most recent ones. */
const MAX_FRESH = 300;

/**
 * Where each item can be watched: region → platform → item index → since when. Answers "may this
 * be recommended to someone in region R with services S" as a byte mask over the item table.
 * Offers from the very first import are not "new": they were there before the person arrived.
 */
export class AvailabilityIndex {
  private readonly byRegion = new Map<string, Map<string, Map<number, number>>>();
  private readonly masks = new Map<string, Uint8Array>();

  constructor(
    rows: readonly OfferRow[],
    private readonly items: ItemTable,
  ) {
    let first = Number.POSITIVE_INFINITY;
    for (const r of rows) first = Math.min(first, (r.first_seen ?? r.since).getTime());
    for (const r of rows) {
      const i = items.index.get(r.title_id);
      if (i === undefined) continue;
      // "Since" counts for newness when the source dated the offer, or when we first saw it after
      // the first import; an undated offer from the first import was there before the person came.
      const seen = (r.first_seen ?? r.since).getTime();
      const since = r.explicit || seen > first + 86_400_000 ? r.since.getTime() : Number.NEGATIVE_INFINITY;
      let platforms = this.byRegion.get(r.region);
      if (!platforms) {
        platforms = new Map();
        this.byRegion.set(r.region, platforms);
      }
      let m = platforms.get(r.platform);
      if (!m) {
        m = new Map();
        platforms.set(r.platform, m);
      }
      const prev = m.get(i);
      m.set(i, prev === undefined ? since : Math.max(prev, since));
    }
  }

  static async load(db: Queryable, items: ItemTable, now: number): Promise<AvailabilityIndex> {
    const { rows } = await db.query<OfferRow>(
      `SELECT title_id, platform, region, min(coalesce(available_from, first_seen)) AS since,
              min(first_seen) AS first_seen, bool_or(available_from IS NOT NULL) AS explicit FROM offers
       WHERE available_until IS NULL OR available_until > $1 GROUP BY title_id, platform, region`,
      [new Date(now)],
    );
    return new AvailabilityIndex(rows, items);
  }

  /** The person's platforms in their region: their services, or every platform when they named none. */
  platforms(region: string, services: readonly string[]): string[] {
    const all = [...(this.byRegion.get(region)?.keys() ?? [])];
    return services.length === 0 ? all.sort() : all.filter((p) => services.includes(p)).sort();
  }

  allowed(region: string, services: readonly string[]): Uint8Array {
    const platforms = this.platforms(region, services);
    const key = `${region}|${platforms.join(',')}`;
    let mask = this.masks.get(key);
    if (!mask) {
      mask = new Uint8Array(this.items.size);
      for (const p of platforms) for (const i of this.byRegion.get(region)!.get(p)!.keys()) mask[i] = 1;
      this.masks.set(key, mask);
    }
    return mask;
  }

  /** Platforms (among `platforms`) in `region` that carry item i. */
  carriers(i: number, region: string, platforms: readonly string[]): string[] {
    const byPlatform = this.byRegion.get(region);
    return byPlatform ? platforms.filter((p) => byPlatform.get(p)?.has(i)) : [];
  }

  private readonly freshLists = new Map<string, { items: number[]; platformOf: (i: number) => string | undefined }>();

  /**
   * Everything new on `platforms` in `region` (cached per day: an offer stops being new by date,
   * and the whole index is rebuilt when the catalog feed moves).
   */
  fresh(
    region: string,
    platforms: readonly string[],
    now: number,
  ): { items: number[]; platformOf: (i: number) => string | undefined } {
    const key = `${region}|${platforms.join(',')}|${Math.floor(now / 86_400_000)}`;
    let hit = this.freshLists.get(key);
    if (!hit) {
      const where = new Map<number, { platform: string; since: number }>();
      const byPlatform = this.byRegion.get(region);
      for (const p of platforms) {
        for (const [i, since] of byPlatform?.get(p) ?? []) {
          if (now - since < NEW_FOR_DAYS * 86_400_000 && since <= now + 86_400_000 && !where.has(i))
            where.set(i, { platform: p, since });
        }
      }
      const newest = [...where].sort((a, b) => b[1].since - a[1].since).slice(0, MAX_FRESH);
      const platformOf = new Map(newest.map(([i, f]) => [i, f.platform]));
      hit = { items: [...platformOf.keys()], platformOf: (i) => platformOf.get(i) };
      if (this.freshLists.size > 256) this.freshLists.clear();
      this.freshLists.set(key, hit);
    }
    return hit;
  }

  /** The platform on which item i is new for this person, if any. */
  freshOn(i: number, region: string, platforms: readonly string[], now: number): string | undefined {
    return this.fresh(region, platforms, now).platformOf(i);
  }
}
