import { distinctOffers } from '@media-gateway/domain/offer-age';
import type { Ref } from 'react';
import type { OfferView, TitleDetails } from '../api/types.ts';
import { linkLabel } from '../components/offer-list.tsx';

const LINK_ORDER: Record<OfferView['urlKind'], number> = { direct: 0, search: 1, none: 2 };

/**
 * Where to watch, as the web's title page lists it: one entry per service and kind of offer in a region, however
 * many sources reported it, including a service known only by name (no link). Offers that can be opened come
 * first (the view shows only a few: names without a link must not push every playable one off it), fresh before
 * stale among them, then direct links before search links.
 */
export function tvOffers(t: TitleDetails): OfferView[] {
  const offers = Object.values(t.offers).flatMap((byPlatform) => distinctOffers(Object.values(byPlatform).flat()));
  return offers.sort(
    (a, b) =>
      Number(a.url === null) - Number(b.url === null) ||
      Number(a.isStale) - Number(b.isStale) ||
      LINK_ORDER[a.urlKind] - LINK_ORDER[b.urlKind],
  );
}

/** "Open on Netflix (US, seen today)"; "On Max Amazon Channel (no link known) (US, …)" as the web says it. */
function offerText(o: OfferView): string {
  const facts = [o.region, o.age, o.isStale ? 'may be out of date' : ''].filter(Boolean).join(', ');
  return `${linkLabel(o, o.platformName ?? o.platform)} (${facts})`;
}

/** The offers as remote-sized buttons; one without a link is said, but not focusable: OK could open nothing. */
export function TvOffers({ offers, firstLink }: { offers: OfferView[]; firstLink: Ref<HTMLAnchorElement> }) {
  const firstLinked = offers.find((o) => o.url !== null);
  return (
    <ul className="tv-offers">
      {offers.map((o) => (
        <li key={`${o.region}-${o.platform}-${o.monetization}-${o.source}`}>
          {o.url === null ? (
            <span className="tv-link tv-link-none" data-url-kind="none">
              {offerText(o)}
            </span>
          ) : (
            <a
              ref={o === firstLinked ? firstLink : undefined}
              href={o.url}
              data-tv-focus=""
              className="tv-link"
              data-url-kind={o.urlKind}
            >
              {offerText(o)}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
