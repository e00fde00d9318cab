import type { Queryable } from '@media-gateway/db';
import type { ItemTable } from './item-table.ts';

/** An offer counts as "new on your services" for this long after it appeared. */
export const NEW_FOR_DAYS = 30;

interface OfferRow { title_id: string; platform: string; region: string; since: Date }

/**
 * Where each item can be watched: region → platform → item index → since when. Answers "may this
 * be recommended to someone in region R with services S" as a byte mask over the item table.
 * Offers from the very first import are not "new": they were there before the person arrived.
 */
export class AvailabilityIndex {
  private readonly byRegion = new Map<string, Map<string, Map<number, number>>>();
  private readonly masks = new Map<string, Uint8Array>();
  private readonly firstImport: number;

  constructor(rows: readonly OfferRow[], private readonly items: ItemTable) {
    let first = Number.POSITIVE_INFINITY;
    for (const r of rows) {
      const i = items.index.get(r.title_id);
      if (i === undefined) continue;
      const since = r.since.getTime();
      first = Math.min(first, since);
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
      m.set(i, Math.min(m.get(i) ?? since, since));
    }
    this.firstImport = first;
  }

  static async load(db: Queryable, items: ItemTable): Promise<AvailabilityIndex> {
    const { rows } = await db.query<OfferRow>(
      `SELECT title_id, platform, region, min(coalesce(available_from, first_seen)) AS since FROM offers
       WHERE available_until IS NULL OR available_until > now() GROUP BY title_id, platform, region`,
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
  fresh(region: string, platforms: readonly string[], now: number): { items: number[]; platformOf: (i: number) => string | undefined } {
    const key = `${region}|${platforms.join(',')}|${Math.floor(now / 86_400_000)}`;
    let hit = this.freshLists.get(key);
    if (!hit) {
      const where = new Map<number, string>();
      const byPlatform = this.byRegion.get(region);
      for (const p of platforms) {
        for (const [i, since] of byPlatform?.get(p) ?? []) {
          if (!where.has(i) && since > this.firstImport + 86_400_000 && now - since < NEW_FOR_DAYS * 86_400_000) where.set(i, p);
        }
      }
      hit = { items: [...where.keys()], platformOf: (i) => where.get(i) };
      if (this.freshLists.size > 256) this.freshLists.clear();
      this.freshLists.set(key, hit);
    }
    return hit;
  }

  /** The platform on which item i is new for this person, if any. */
  freshOn(i: number, region: string, platforms: readonly string[], now: number): string | undefined {
    const byPlatform = this.byRegion.get(region);
    if (!byPlatform) return undefined;
    for (const p of platforms) {
      const since = byPlatform.get(p)?.get(i);
      if (since !== undefined && since > this.firstImport + 86_400_000 && now - since < NEW_FOR_DAYS * 86_400_000) return p;
    }
    return undefined;
  }
}
