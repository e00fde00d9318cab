import type { OfferView, TitleView } from '@media-gateway/domain/contracts';

/**
 * GET /api/titles/:id as the tools and machine views read it: the API's contract (`@media-gateway/domain/contracts`).
 */
export type RestTitle = TitleView;
export type RestOffer = OfferView;

export function titlePath(id: string): string {
  return `/api/titles/${encodeURIComponent(id)}`;
}

export function flatOffers(title: RestTitle): RestOffer[] {
  return Object.values(title.offers).flatMap((byPlatform) => Object.values(byPlatform).flat());
}

/** The offer its source saw most recently (one without a date counts as oldest): what "how old is this" should quote. */
export function freshest(offers: readonly RestOffer[]): RestOffer | undefined {
  let best: RestOffer | undefined;
  for (const o of offers) if (!best || (o.lastSeen ?? '') > (best.lastSeen ?? '')) best = o;
  return best;
}
