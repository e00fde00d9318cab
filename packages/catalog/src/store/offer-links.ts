import {
  directLink,
  getPlatform,
  type LinkKind,
  searchLink,
  type SourceOffer,
  type SourceRecord,
} from '@media-gateway/domain';

export interface StoredOffer {
  platform: string;
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  /** Null when there is no link (`urlKind` none). */
  webUrl: string | null;
  urlKind: LinkKind;
  appUrl: string | null;
  nativeId: string | null;
  availableFrom: string | null;
  availableUntil: string | null;
  /** For a provider the registry does not know: the name and logo its source reported (kept in `providers`). */
  reported?: { name: string; logoUrl: string | null };
  /** The provider's logo as this source serves it, for any provider (kept in `provider_logos`). */
  logoUrl: string | null;
}

/** Ids of providers the registry does not know: lower-case words and digits joined by hyphens. */
const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A URL that is itself a search (JustWatch gives some, EXTERNAL-APIS.md §4): never a `direct` link. */
function looksLikeSearch(url: string): boolean {
  try {
    const u = new URL(url);
    return /\/(search|results)\b/i.test(u.pathname) || u.searchParams.has('search_query');
  } catch {
    return false;
  }
}

/**
 * Builds the link we show for an offer. Honesty rule: a `direct` link is either a URL the source
 * gave us on the platform itself, or one built from the platform's own content id; otherwise the
 * platform's search page for the title, labelled `search`; and when we know no search page (a
 * provider the registry does not know, or one without a search template) no link at all: `none`.
 */
export function toStoredOffer(offer: SourceOffer, record: SourceRecord): StoredOffer | { error: string } {
  const platform = getPlatform(offer.platform);
  if (!platform && !PROVIDER_ID.test(offer.platform)) return { error: `not a provider id: "${offer.platform}"` };
  let webUrl: string | null = null;
  let urlKind: LinkKind = 'none';
  const searchPrefix = platform?.searchTemplate?.split('{q}')[0];
  const sourceUrlIsSearch = offer.webUrl
    ? searchPrefix
      ? offer.webUrl.startsWith(searchPrefix)
      : looksLikeSearch(offer.webUrl)
    : false;
  const direct =
    platform && offer.nativeId ? directLink(platform, offer.nativeId, record.kind, offer.region) : undefined;
  const search = platform ? searchLink(platform, record.title) : undefined;
  if (offer.webUrl && !sourceUrlIsSearch) {
    webUrl = offer.webUrl;
    urlKind = 'direct';
  } else if (direct) {
    webUrl = direct;
    urlKind = 'direct';
  } else if (search) {
    webUrl = search;
    urlKind = 'search';
  } else if (offer.webUrl) {
    // A search URL the source gave for a provider whose search page we do not know: still a search.
    webUrl = offer.webUrl;
    urlKind = 'search';
  }
  return {
    platform: platform?.id ?? offer.platform,
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
    logoUrl: offer.platformLogo ?? null,
    ...(!platform
      ? { reported: { name: offer.platformName ?? offer.platform, logoUrl: offer.platformLogo ?? null } }
      : {}),
  };
}

export function offerKey(o: { platform: string; region: string; monetization: string }): string {
  return `${o.platform}|${o.region}|${o.monetization}`;
}
