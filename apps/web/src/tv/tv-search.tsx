import { useEffect, useRef, useState } from 'react';
import { oldestOfferAge } from '@media-gateway/domain/offer-age';
import { api } from '../api/api-client.ts';
import type { SearchResponse } from '../api/types.ts';
import { missesLine, nearMatchHeading } from '../components/near-match-words.ts';
import { useAsync } from '../use-async.ts';
import { TvRow } from './tv-row.tsx';
import { TvSampleNote } from './tv-sample-note.tsx';

/** The TV's search box: typed with the TV's keyboard (or a phone's remote app), sent with OK/Enter. */
export function TvSearchForm({ onSearch }: { onSearch: (query: string) => void }) {
  const [text, setText] = useState('');
  return (
    /* biome-ignore lint/a11y/useSemanticElements: <search> is too new for the TV browsers we target;
       role="search" is equivalent */
    <form
      role="search"
      className="tv-search"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSearch(text.trim());
      }}
    >
      <input
        type="search"
        aria-label="Search"
        placeholder="Search: scary movies under 2 hours"
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-tv-focus=""
      />
      <button type="submit" data-tv-focus="">
        Search
      </button>
    </form>
  );
}

/**
 * A search's answer as TV rows (POST /api/search, as the web app asks it): what meets every constraint, and the
 * near matches each with what it misses, instead of an empty answer or after a short one.
 */
export function TvSearch(props: { query: string; onOpen: (id: string) => void; onBack: () => void }) {
  const result = useAsync(
    (signal) => api<SearchResponse>('/api/search', { method: 'POST', body: { query: props.query, limit: 18 }, signal }),
    [props.query],
  );
  const data = result.data;
  const near = data?.nearMatches ?? [];
  const misses = new Map(near.map((n) => [n.id, missesLine(n.misses)]));
  // Where a title is on is an availability fact: the tile says when the sources saw it (decision 0072).
  const ages = new Map([...(data?.results ?? []), ...near].map((t) => [t.id, oldestOfferAge(t.offers)]));
  const detail = (id: string) => {
    const seen = ages.get(id);
    if (!misses.has(id) && !seen) return undefined;
    return (
      <>
        {misses.get(id)}
        {seen && (
          <span className="tv-tile-age">
            <span className="nowrap">{seen.age}</span>
            {seen.isStale && ', may be out of date'}
          </span>
        )}
      </>
    );
  };
  const root = useRef<HTMLDivElement>(null);
  // With the answer in, OK on the remote should open its first title.
  useEffect(() => {
    if (data) root.current?.querySelector<HTMLElement>('.tv-tile, .tv-away button')?.focus();
  }, [data]);
  return (
    <div ref={root} className="tv-rows" data-testid="tv-search">
      <h1 className="tv-search-h">“{props.query}”</h1>
      <button type="button" data-tv-focus="" onClick={props.onBack}>
        Back to the start page
      </button>
      {result.error && <p role="alert">Search is unavailable right now: {result.error.message}</p>}
      {!data && !result.error && <p role="status">Searching…</p>}
      <TvSampleNote from={[data?.sampleData]} />
      {data?.understood.notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
      {data && (data.results.length > 0 || near.length === 0) && (
        <TvRow
          label="Results"
          items={data.results}
          empty="Nothing matched that search."
          detail={detail}
          onOpen={props.onOpen}
        />
      )}
      {near.length > 0 && (
        <TvRow
          label={nearMatchHeading(data?.results.length ?? 0)}
          items={near}
          empty=""
          detail={detail}
          onOpen={props.onOpen}
        />
      )}
      {data?.notStreaming && (
        // No offer here, so no tile of offers: each opens its page, where it can go on the watchlist.
        <section
          className="tv-row"
          aria-label={`Not streaming in ${data.notStreaming.region}`}
          data-testid="tv-not-streaming"
        >
          <h2>
            Not streaming in {data.notStreaming.region}
            {data.notStreaming.asOf ? ` as of ${data.notStreaming.asOf}` : ''}
          </h2>
          <div className="tv-away">
            {data.notStreaming.titles.map((t) => (
              <button key={t.id} type="button" data-tv-focus="" onClick={() => props.onOpen(t.id)}>
                {t.title}
                {t.year ? ` (${t.year})` : ''}
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
