import type { KeyboardEvent } from 'react';
import type { HomeItem, HomeRow } from '../api/types.ts';
import { Link } from '../router.tsx';
import { Cover, posterSrc } from './cover.tsx';
import { factsLine } from './title-card.tsx';

const day = (iso: string) => iso.slice(0, 10);

/** The date that put the title in its row ("leaves …", "added …"), when the row is about one; the TV shows it too. */
export function offerWhen(item: HomeItem, rowId: string): { verb: string; day: string } | null {
  const o = item.offer;
  if (rowId === 'leaving-soon' && o?.availableUntil) return { verb: 'leaves', day: day(o.availableUntil) };
  if (rowId === 'new-this-month' && o?.availableFrom) return { verb: 'added', day: day(o.availableFrom) };
  return null;
}

/** Said for a card without an offer (continue watching off the person's services); the TV says it too. */
export const NO_OFFER = 'No known offer in this region';

/** Why this offer is on the card, with when its source saw it (decision 0072). */
function OfferNote({ item, rowId }: { item: HomeItem; rowId: string }) {
  const o = item.offer;
  if (!o) return <p className="rail-offer muted">{NO_OFFER}</p>;
  const when = offerWhen(item, rowId);
  return (
    <p className="rail-offer">
      <span className="badge badge-mine">{o.platformName}</span>{' '}
      {when && <strong className="rail-when">{`${when.verb} ${when.day}`}</strong>}{' '}
      <span className={o.isStale ? 'rail-stale' : 'muted'} title={`Source: ${o.source}`}>
        {o.age}
        {o.isStale ? ', may be out of date' : ''}
      </span>
    </p>
  );
}

function Progress({ p }: { p: NonNullable<HomeItem['progress']> }) {
  const minutes = Math.floor(p.positionSeconds / 60);
  if (!p.durationSeconds) return <p className="rail-progress muted">Stopped at {minutes} min</p>;
  const pct = Math.round((p.positionSeconds / p.durationSeconds) * 100);
  return (
    <p className="rail-progress">
      <progress max={100} value={pct} aria-label={`${pct}% watched`} /> {minutes} min in
    </p>
  );
}

/** ArrowLeft/ArrowRight move between the cards of one row (Tab still walks every card). */
function onRowKey(e: KeyboardEvent<HTMLUListElement>) {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  // TV mode has its own spatial navigation for arrows.
  if (document.documentElement.classList.contains('tv')) return;
  const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a.rail-link')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (at < 0) return;
  const next = links[at + (e.key === 'ArrowRight' ? 1 : -1)];
  if (!next) return;
  e.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** One horizontally scrolling row of title cards with covers. */
export function Rail({ row }: { row: HomeRow }) {
  const heading = `row-${row.id}`;
  return (
    <section className="rail" aria-labelledby={heading} data-row={row.id}>
      <div className="rail-head">
        <h2 id={heading}>{row.title}</h2>
        <p className="muted rail-rule">{row.description}</p>
      </div>
      <ul className="rail-items" onKeyDown={onRowKey}>
        {row.items.map((item) => (
          <li key={item.id} className="rail-item" data-title-id={item.id}>
            <Link href={`/title/${item.id}`} className="rail-link" data-tv-focus="">
              <Cover id={item.id} src={posterSrc(item) ?? item.cover} />
              <span className="rail-title">{item.title}</span>
            </Link>
            <p className="facts">{factsLine(item)}</p>
            {item.progress && <Progress p={item.progress} />}
            {item.why && <p className="why">{item.why}</p>}
            <OfferNote item={item} rowId={row.id} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomeRows({ rows }: { rows: HomeRow[] }) {
  return (
    <div className="rails" data-testid="home-rows">
      {rows.map((row) => (
        <Rail key={row.id} row={row} />
      ))}
    </div>
  );
}
