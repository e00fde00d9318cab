import { useEffect } from 'react';
import { emptyForWantOfData } from '@media-gateway/domain/search-notes';
import { api } from '../api/api-client.ts';
import type { SearchResponse, SearchSpan } from '../api/types.ts';
import { missesLine, nearMatchHeading } from '../components/near-match-words.ts';
import { NotStreamingList } from '../components/not-streaming-list.tsx';
import { platformName, platforms } from '../components/platforms.ts';
import { SampleBanner } from '../components/sample-banner.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { TitleCard } from '../components/title-card.tsx';
import { navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

const KIND_LABEL: Record<string, string> = {
  service: 'On',
  'my-services': 'On',
  'exclude-service': 'Not on',
  type: 'Type',
  genre: 'Genre',
  'exclude-genre': 'Not',
  mood: 'Mood',
  years: 'Years',
  runtime: 'Length',
  maturity: 'Rated',
  person: 'With',
  country: 'From',
  'exclude-country': 'Not from',
  like: 'Like',
  region: 'Region',
  'unknown-service': 'Unknown service',
  leaving: 'Leaving',
  free: 'Price',
};

/** The query without one understood part: what the person gets by removing that chip. */
export function withoutSpan(query: string, span: SearchSpan): string {
  return `${query.slice(0, span.start)} ${query.slice(span.end)}`.replace(/\s+/g, ' ').trim();
}

export function SearchPage() {
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const { user, settings } = useSession();
  const names = useAsync(() => platforms(), []);
  const result = useAsync(
    (signal) =>
      q
        ? api<SearchResponse>('/api/search', { method: 'POST', body: { query: q, limit: 24 }, signal })
        : Promise.resolve(undefined),
    [q, user?.id],
  );
  useEffect(() => {
    document.title = q ? `${q} · Search · Media Gateway` : 'Search · Media Gateway';
  }, [q]);
  if (!q) return <Empty title="Type what you feel like watching in the search box above." />;
  const u = result.data?.understood;
  type Hit = NonNullable<typeof result.data>['results'][number];
  const wantedGenres = u ? [...u.genres, ...u.moods.flatMap((m) => m.anyOf)] : [];
  const card = (r: Hit, why: string) => (
    <TitleCard
      key={r.id}
      title={r}
      offers={r.offers}
      services={settings?.services}
      names={(id) => platformName(names.data, id)}
      why={why}
      wantedGenres={wantedGenres}
    />
  );
  // Near matches stand in for an empty answer, and follow a short one (fewer than three titles).
  const nearSection = (near: NonNullable<NonNullable<typeof result.data>['nearMatches']>) => (
    <section aria-labelledby="near-h" data-testid="near-matches">
      <h2 id="near-h">{nearMatchHeading(result.data?.results.length ?? 0)}</h2>
      <div className="cards">{near.map((r) => card(r, missesLine(r.misses)))}</div>
    </section>
  );
  return (
    <section aria-labelledby="search-h">
      <h1 id="search-h">Results for “{q}”</h1>
      <SampleBanner />
      {u && (
        <section className="understood" aria-label="How we read your search">
          {u.spans.length > 0 && <span className="muted">We understood: </span>}
          <ul className="chips">
            {u.spans.map((s) => (
              <li key={`${s.start}-${s.kind}`} className={`chip chip-${s.kind}`}>
                {KIND_LABEL[s.kind] ?? s.kind}: {s.value}
                <button
                  type="button"
                  aria-label={`Remove “${s.text}” from the search`}
                  onClick={() => {
                    const next = withoutSpan(q, s);
                    navigate(next ? `/search?q=${encodeURIComponent(next)}` : '/');
                  }}
                >
                  ×
                </button>
              </li>
            ))}
            <li className="chip chip-context">Region: {u.region}</li>
          </ul>
          {u.notUnderstood.map((n) => (
            <p key={n.text} className="note">
              We could not use “{n.text}”: {n.reason}
            </p>
          ))}
          {u.notes.map((n) => (
            <p key={n} className="note">
              {n}
            </p>
          ))}
        </section>
      )}
      {result.error && <ErrorState error={result.error} retry={result.reload} what="search results" />}
      {!result.data && result.loading && <Loading what="results" />}
      {result.data &&
        result.data.results.length === 0 &&
        !result.data.nearMatches?.length &&
        !result.data.notStreaming &&
        !emptyForWantOfData(result.data.understood.notes) && (
          <Empty title="Nothing matched every part of that search.">
            <p>
              {result.data.understood.spans.length
                ? 'Try removing one of the understood parts above, or search for a title by name.'
                : 'Check the spelling, or try other words: a title, a person, a genre or a mood.'}
            </p>
          </Empty>
        )}
      {result.data?.nearMatches?.length && result.data.results.length === 0
        ? nearSection(result.data.nearMatches)
        : null}
      <div className="cards" data-testid="search-results">
        {result.data?.results.map((r) => card(r, r.why))}
      </div>
      {result.data?.nearMatches?.length && result.data.results.length > 0 ? nearSection(result.data.nearMatches) : null}
      {result.data?.notStreaming && <NotStreamingList away={result.data.notStreaming} />}
    </section>
  );
}
