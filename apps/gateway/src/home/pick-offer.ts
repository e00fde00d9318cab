import type { OfferView } from '@media-gateway/catalog';
import type { OfferKey } from './home-types.ts';

/** Included in a plan first, then free, then paid per title. */
const MONETIZATION_ORDER = ['subscription', 'free', 'ads', 'addon', 'rent', 'buy'];

function rank(o: OfferView): number[] {
  const m = MONETIZATION_ORDER.indexOf(o.monetization);
  return [
    m < 0 ? MONETIZATION_ORDER.length : m,
    o.isStale ? 1 : 0,
    o.url === null ? 2 : o.urlKind === 'direct' ? 0 : 1,
  ];
}

function compare(a: OfferView, b: OfferView): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a.platform.localeCompare(b.platform) || a.source.localeCompare(b.source);
}

/**
 * The offer a card shows: the exact one a row is about when it names one, else the best on the
 * person's platforms (included before paid, fresh before stale, a direct link before a search page).
 */
export function pickOffer(offers: readonly OfferView[], platforms: string[] | null, key?: OfferKey): OfferView | null {
  if (key) {
    const exact = offers.find(
      (o) => o.platform === key.platform && o.source === key.source && o.monetization === key.monetization,
    );
    if (exact) return exact;
  }
  const mine = platforms ? offers.filter((o) => platforms.includes(o.platform)) : [...offers];
  return mine.sort(compare)[0] ?? null;
}
