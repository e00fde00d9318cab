import type { TitleImage } from '../api/types.ts';
import { Cover, posterSrc } from '../components/cover.tsx';

/** A row of title tiles: OK on one opens it. */
export function TvRow(props: {
  label: string;
  items: Array<{
    id: string;
    title: string;
    year: number | null;
    type: string;
    poster?: TitleImage | null;
    images?: TitleImage[];
  }>;
  empty: string;
  /** A line under a tile's facts (a near match's misses, a start-page tile's offer). */
  detail?: (id: string) => React.ReactNode;
  onOpen: (id: string) => void;
}) {
  return (
    <section className="tv-row" aria-label={props.label}>
      <h2>{props.label}</h2>
      {props.items.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul>
          {props.items.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                className="tv-tile tv-tile-cover"
                data-tv-focus=""
                data-title-id={t.id}
                onClick={() => props.onOpen(t.id)}
              >
                <Cover id={t.id} width={192} src={posterSrc(t)} />
                <span className="tv-tile-title">{t.title}</span>
                <span className="muted">
                  {[t.type === 'series' ? 'Series' : 'Movie', t.year].filter(Boolean).join(' · ')}
                </span>
                {props.detail?.(t.id) && <span className="tv-tile-detail">{props.detail(t.id)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
