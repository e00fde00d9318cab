import { oldestOfferAge } from '@media-gateway/domain/offer-age';
import type { Offer, TitleSummary } from '../api/types.ts';
import { Link } from '../router.tsx';
import { Cover, posterOrCoverUrl } from './cover.tsx';

export function factsLine(t: TitleSummary): string {
  const parts: string[] = [t.type === 'series' ? 'Series' : 'Movie'];
  if (t.year) parts.push(String(t.year));
  if (t.type === 'series' && t.seasons) parts.push(`${t.seasons} season${t.seasons === 1 ? '' : 's'}`);
  else if (t.runtimeMinutes) parts.push(`${t.runtimeMinutes} min`);
  if (t.maturity?.label) parts.push(t.maturity.label);
  return parts.join(' · ');
}

/**
 * The genres a card has room for (four), those the search asked for first: a near match for "scary movies" that is
 * a horror series must show "horror", even when it sorts fifth.
 */
export function genresShown(genres: readonly string[], wanted: readonly string[] = []): string[] {
  const asked = genres.filter((g) => wanted.includes(g));
  return [...asked, ...genres.filter((g) => !wanted.includes(g))].slice(0, 4);
}

/**
 * A title in a list: name, facts, and availability badges for the person's services in their
 * region (from the offers the API returned: never guessed), with when their sources saw them.
 */
export function TitleCard(props: {
  title: TitleSummary;
  offers?: Offer[];
  services?: string[];
  names?: (id: string) => string;
  why?: string;
  /** Genres the search asked for (its genres and moods): shown first. */
  wantedGenres?: readonly string[];
  children?: React.ReactNode;
}) {
  const { title, offers = [], services = [], names = (id) => id, why, wantedGenres } = props;
  const platformsOn = [...new Set(offers.map((o) => o.platform))];
  const mine = platformsOn.filter((p) => services.includes(p));
  const others = platformsOn.filter((p) => !services.includes(p));
  // Offers carry the provider's name (the source's own for one the registry does not know).
  const nameOf = (p: string) => offers.find((o) => o.platform === p && o.platformName)?.platformName ?? names(p);
  // When the sources saw the services badged below (decision 0072): the oldest of those shown.
  const badged = [...mine, ...others.slice(0, 4)];
  const seen = oldestOfferAge(offers, badged);
  // The first offer to end among those badged, when a source said one ends.
  const leaving = offers
    .filter((o) => o.availableUntil && badged.includes(o.platform))
    .sort((a, b) => a.availableUntil!.localeCompare(b.availableUntil!))[0];
  return (
    <article className="card card-with-cover" aria-labelledby={`t-${title.id}`}>
      <Cover id={title.id} width={72} src={posterOrCoverUrl(title.id)} />
      <div className="card-body">
        <h3 id={`t-${title.id}`}>
          <Link href={`/title/${title.id}`} data-tv-focus="">
            {title.title}
          </Link>
        </h3>
        <p className="facts">{factsLine(title)}</p>
        {title.genres.length > 0 && <p className="genres">{genresShown(title.genres, wantedGenres).join(', ')}</p>}
        {why && <p className="why">{why}</p>}
        <p className="badges">
          {mine.map((p) => (
            <span key={p} className="badge badge-mine">
              ✓ {nameOf(p)}
            </span>
          ))}
          {others.slice(0, 4).map((p) => (
            <span key={p} className="badge">
              {nameOf(p)}
            </span>
          ))}
          {platformsOn.length === 0 && <span className="badge badge-none">No known offer in this region</span>}
        </p>
        {leaving && (
          <p className="card-leaving">
            Leaves {nameOf(leaving.platform)} on {leaving.availableUntil!.slice(0, 10)}
          </p>
        )}
        {seen && (
          <p className={`card-age ${seen.isStale ? 'card-age-stale' : 'muted'}`}>
            <span className="nowrap">{seen.age}</span>
            {seen.isStale ? ', may be out of date' : ''}
          </p>
        )}
        {props.children}
      </div>
    </article>
  );
}
