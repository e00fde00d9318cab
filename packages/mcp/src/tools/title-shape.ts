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
