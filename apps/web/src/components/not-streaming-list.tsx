import type { SearchResponse } from '../api/types.ts';
import { Link } from '../router.tsx';

type NotStreaming = NonNullable<SearchResponse['notStreaming']>;

/**
 * Titles that meet every part of a search but that no service offers in the region. Not results (they cannot be
 * watched here), but the truthful end of a dead end; each links to its page, where it can go on the watchlist.
 */
export function NotStreamingList({ away }: { away: NotStreaming }) {
  const more = away.count - away.titles.length;
  return (
    <section aria-labelledby="away-h" data-testid="not-streaming">
      <h2 id="away-h">
        Not streaming in {away.region}
        {away.asOf ? ` as of ${away.asOf}` : ''}
      </h2>
      <p className="note">
        These meet your search, but no service offers them in {away.region}. Put one on your watchlist and, with alerts
        on, you hear when it arrives.
      </p>
      <ul>
        {away.titles.map((t) => (
          <li key={t.id}>
            <Link href={`/title/${encodeURIComponent(t.id)}`}>{t.title}</Link>
            {t.year ? ` (${t.type === 'series' ? 'series, ' : ''}${t.year})` : ''}
          </li>
        ))}
        {more > 0 && <li>and {more} more</li>}
      </ul>
    </section>
  );
}
