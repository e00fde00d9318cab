// How old a list's availability is, for cards and lines that show a title's services without each offer's row.
// No imports, so the web app can use it without bundling zod.

/** The part of an offer that says when its source saw it (decision 0072). */
export interface AgedOffer {
  platform: string;
  /** When the source saw it (ISO), or null when it never said. */
  lastSeen: string | null;
  /** "seen today", "seen 3 days ago", "as of 2021-09-25", "as of unknown". */
  age: string;
  isStale: boolean;
}

/**
 * The age of the oldest offer among `platforms` (all of them when not given), or undefined without offers.
 * A platform counts with its freshest offer (a title rented and streamed there is there as of the later sighting);
 * across platforms the oldest wins, so the line never claims more freshness than its weakest fact.
 */
export function oldestOfferAge(
  offers: readonly AgedOffer[],
  platforms?: readonly string[],
): { age: string; isStale: boolean } | undefined {
  const freshest = new Map<string, AgedOffer>();
  for (const o of offers) {
    if (platforms && !platforms.includes(o.platform)) continue;
    const prev = freshest.get(o.platform);
    if (!prev || seenAt(o) > seenAt(prev)) freshest.set(o.platform, o);
  }
  let oldest: AgedOffer | undefined;
  for (const o of freshest.values()) if (!oldest || seenAt(o) < seenAt(oldest)) oldest = o;
  return oldest && { age: oldest.age, isStale: [...freshest.values()].some((o) => o.isStale) };
}

/** Unknown sorts as the oldest. */
const seenAt = (o: AgedOffer) => (o.lastSeen === null ? Number.NEGATIVE_INFINITY : Date.parse(o.lastSeen));

/** What makes two offers the same to a person: the service, region, how it is paid and at what price and quality. */
export interface ComparableOffer extends AgedOffer {
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  urlKind: string;
  /** When a source said the offer ends (ISO). */
  availableUntil?: string | null;
}

const LINK_RANK: Record<string, number> = { direct: 0, search: 1, none: 2 };
const linkRank = (o: ComparableOffer) => LINK_RANK[o.urlKind] ?? 2;
/** Negative when `a` is the better row to keep: fresh, then the better link, then seen later. */
const preferred = (a: ComparableOffer, b: ComparableOffer) =>
  Number(a.isStale) - Number(b.isStale) || linkRank(a) - linkRank(b) || seenAt(b) - seenAt(a);
const offerKey = (o: ComparableOffer) =>
  [o.platform, o.region, o.monetization, o.price ?? '', o.currency ?? '', o.quality ?? ''].join('|');

/**
 * One row per offer a person can tell apart: two sources reporting the same subscription on the same service (the
 * sample and a file, say) read as a duplicate. The one kept is fresh before stale, then has the best link (direct
 * before search), then the latest sighting; it carries the earliest end date any of them gave, as cards show it.
 * The API keeps every source's offer, with its provenance.
 */
export function distinctOffers<T extends ComparableOffer>(offers: readonly T[]): T[] {
  const kept = new Map<string, T>();
  for (const o of offers) {
    const prev = kept.get(offerKey(o));
    if (!prev || preferred(o, prev) < 0) kept.set(offerKey(o), o);
  }
  const until = new Map<string, string>();
  for (const o of offers) {
    const was = until.get(offerKey(o));
    if (o.availableUntil && (!was || o.availableUntil < was)) until.set(offerKey(o), o.availableUntil);
  }
  for (const [key, o] of kept) {
    const end = until.get(key);
    if (end && o.availableUntil !== end) kept.set(key, { ...o, availableUntil: end });
  }
  // In the order given, each at the place of its kind's first offer.
  const out: T[] = [];
  const placed = new Set<T>();
  for (const o of offers) {
    const keep = kept.get(offerKey(o))!;
    if (!placed.has(keep)) {
      placed.add(keep);
      out.push(keep);
    }
  }
  return out;
}
