import type { HomeItem, HomeRow } from '../api/types.ts';
import { NO_OFFER, offerWhen } from '../components/home-rows.tsx';
import { TvRow } from './tv-row.tsx';

/**
 * A tile's availability, the facts the web's card for the same row shows: the service, the date that put the title in
 * its row, and when the source saw it (decision 0072). Each fact on a line of its own: a tile is too narrow for two
 * of them side by side at a size readable from the sofa, and a fact broken across lines reads badly.
 */
export function TvTileOffer({ item, rowId }: { item: HomeItem; rowId: string }) {
  const o = item.offer;
  if (!o) return <span className="tv-tile-offer">{NO_OFFER}</span>;
  const when = offerWhen(item, rowId);
  return (
    <span className="tv-tile-offer" title={`Source: ${o.source}`}>
      <span className="tv-offer-service">{o.platformName}</span>
      {when && (
        <span className="tv-offer-when">
          {when.verb} <span className="nowrap">{when.day}</span>
        </span>
      )}
      <span className={o.isStale ? 'tv-offer-stale' : 'tv-offer-age'}>
        <span className="nowrap">{o.age}</span>
        {o.isStale && ', may be out of date'}
      </span>
    </span>
  );
}

/** One row of GET /api/home as TV tiles, each with its offer. */
export function TvHomeRow({ row, onOpen }: { row: HomeRow; onOpen: (id: string) => void }) {
  const items = new Map(row.items.map((item) => [item.id, item]));
  const tileOffer = (id: string) => {
    const item = items.get(id);
    return item && <TvTileOffer item={item} rowId={row.id} />;
  };
  return <TvRow label={row.title} items={row.items} empty="" detail={tileOffer} onOpen={onOpen} />;
}
