import type { Offer } from '../api/types.ts';

const MONETIZATION: Record<string, string> = {
  subscription: 'Included with subscription',
  sub: 'Included with subscription',
  free: 'Free',
  ads: 'Free with ads',
  rent: 'Rent',
  buy: 'Buy',
  tve: 'With a TV provider login',
  addon: 'Add-on channel',
};

export function priceText(o: Offer): string {
  if (o.price == null) return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: o.currency ?? 'USD' }).format(o.price);
  } catch {
    return `${o.price} ${o.currency ?? ''}`.trim();
  }
}

/**
 * The honest link label: a direct link opens the title on the platform; a search link only opens
 * the platform's search for it (decision 0003); a provider known only by name has no link at all
 * (decision 0073). Stale offers say so.
 */
export function linkLabel(o: Offer, name: string): string {
  if (o.url === null || o.urlKind === 'none') return `On ${name} (no link known)`;
  return o.urlKind === 'direct' ? `Open on ${name}` : `Search on ${name}`;
}

/**
 * The service's logo through the gateway's image proxy (decision 0109), which answers with a text
 * badge when no source gave one. Decorative: the name stands beside it. Hidden if it cannot load.
 */
function ProviderLogo({ platform }: { platform: string }) {
  return (
    <img
      className="offer-logo"
      src={`/api/providers/${encodeURIComponent(platform)}/logo?size=s`}
      alt=""
      width={24}
      height={24}
      loading="lazy"
      decoding="async"
      onError={(e) => {
        e.currentTarget.hidden = true;
      }}
    />
  );
}

export function OfferRow({ offer, name, mine }: { offer: Offer; name: string; mine?: boolean }) {
  const price = priceText(offer);
  return (
    <li className={`offer${offer.isStale ? ' offer-stale' : ''}${mine ? ' offer-mine' : ''}`}>
      <span className="offer-platform">
        <ProviderLogo platform={offer.platform} />
        {name}
      </span>
      <span className="offer-kind">
        {MONETIZATION[offer.monetization] ?? offer.monetization}
        {price && ` · ${price}`}
        {offer.quality && ` · ${offer.quality}`}
      </span>
      {mine && <span className="badge badge-mine">On your services</span>}
      {offer.availableUntil && (
        <span className="badge badge-leaving" title="The source said when this offer ends">
          Leaves {offer.availableUntil.slice(0, 10)}
        </span>
      )}
      {offer.age && (
        <span
          className={`badge ${offer.isStale ? 'badge-stale' : 'badge-age'}`}
          title={
            offer.lastSeen
              ? `The source saw this offer on ${offer.lastSeen.slice(0, 10)}`
              : 'The source did not say when'
          }
        >
          {offer.isStale ? `May be out of date (${offer.age})` : offer.age}
        </span>
      )}
      {offer.url === null ? (
        <span className="offer-link offer-link-none" data-url-kind="none">
          No link known
        </span>
      ) : (
        <a
          className={`offer-link offer-link-${offer.urlKind}`}
          href={offer.url}
          target="_blank"
          rel="noopener noreferrer"
          data-url-kind={offer.urlKind}
        >
          {linkLabel(offer, name)}
        </a>
      )}
      {offer.attribution && <small className="offer-attribution">{offer.attribution}</small>}
    </li>
  );
}
