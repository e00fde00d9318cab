import { directLink, getPlatform, searchLink, type SourceOffer, type SourceRecord } from '@media-gateway/domain';

export interface StoredOffer {
  platform: string;
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  webUrl: string;
  urlKind: 'direct' | 'search';
  appUrl: string | null;
  nativeId: string | null;
  availableFrom: string | null;
  availableUntil: string | null;
}

/**
 * Builds the link we show for an offer. Honesty rule: a `direct` link is either a URL the source
 * gave us on the platform itself, or one built from the platform's own content id; anything else
 * is the platform's search page for the title, labelled `search`.
 */
export function toStoredOffer(offer: SourceOffer, record: SourceRecord): StoredOffer | { error: string } {
  const platform = getPlatform(offer.platform);
  if (!platform) return { error: `unknown platform "${offer.platform}"` };
  let webUrl: string;
  let urlKind: 'direct' | 'search';
  const searchPrefix = platform.searchTemplate.split('{q}')[0]!;
  if (offer.webUrl && !offer.webUrl.startsWith(searchPrefix)) {
    webUrl = offer.webUrl;
    urlKind = 'direct';
  } else if (offer.nativeId && directLink(platform, offer.nativeId, record.kind, offer.region)) {
    webUrl = directLink(platform, offer.nativeId, record.kind, offer.region)!;
    urlKind = 'direct';
  } else {
    webUrl = searchLink(platform, record.title);
    urlKind = 'search';
  }
  return {
    platform: platform.id,
    region: offer.region,
    monetization: offer.monetization,
    price: offer.price ?? null,
    currency: offer.currency ?? null,
    quality: offer.quality ?? null,
    webUrl,
    urlKind,
    appUrl: offer.appUrl ?? null,
    nativeId: offer.nativeId ?? null,
    availableFrom: offer.availableFrom ?? null,
    availableUntil: offer.availableUntil ?? null,
  };
}

export function offerKey(o: { platform: string; region: string; monetization: string }): string {
  return `${o.platform}|${o.region}|${o.monetization}`;
}
