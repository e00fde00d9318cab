import { useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import { sendEvent } from '../api/events.ts';
import type { HomeView, Recommendation, TitlePage } from '../api/types.ts';
import { HomeRows } from '../components/home-rows.tsx';
import { platformName, platforms } from '../components/platforms.ts';
import { catalogSummary, SampleBanner } from '../components/sample-banner.tsx';
import { Empty, ErrorState, Loading, NoCatalog } from '../components/states.tsx';
import { TitleCard } from '../components/title-card.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

const MOODS = ['light', 'funny', 'thrilling', 'scary', 'romantic', 'thoughtful', 'relaxed', 'adventurous', 'family'];

export function HomePage() {
  const { user, settings } = useSession();
  const summary = useAsync(() => catalogSummary(), []);
  useEffect(() => {
    document.title = 'Media Gateway';
  }, []);
  if (summary.data && summary.data.titles === 0) return <NoCatalog />;
  return (
    <>
      <SampleBanner />
      {user === null && (
        <p className="hint">
          Sign in to get recommendations for your services and keep a watchlist in sync across your devices.
        </p>
      )}
      {/* Rows wait for the session: signed in they follow the person's region and services. */}
      {user !== undefined && (
        <Discovery
          key={`${user?.id ?? 'anonymous'}|${settings?.region ?? ''}|${settings?.services.join(',') ?? ''}`}
          signedIn={Boolean(user)}
        />
      )}
      {user && <Recommendations />}
      <Browse />
    </>
  );
}

/** The discovery rows (GET /api/home); rows with nothing to show never arrive. */
function Discovery({ signedIn }: { signedIn: boolean }) {
  const home = useAsync((signal) => api<HomeView>('/api/home', { signal, auth: signedIn }), [signedIn]);
  if (home.error) return <ErrorState error={home.error} retry={home.reload} what="your start page" />;
  if (!home.data) return <Loading what="your start page" />;
  return <HomeRows rows={home.data.rows} />;
}

/** Recommendation rows with their reasons; like/dislike re-rank the row at once (POST /api/events). */
function Recommendations() {
  const [mood, setMood] = useState('');
  const [note, setNote] = useState('');
  const recs = useAsync(
    (signal) =>
      api<{ items: Recommendation[]; region: string; services: string[] }>(
        `/api/recommendations?limit=12&device=desktop&hour=${new Date().getHours()}${mood ? `&mood=${mood}` : ''}`,
        { signal },
      ),
    [mood],
  );
  const names = useAsync(() => platforms(), []);
  const feedback = async (type: 'like' | 'dislike', id: string, title: string) => {
    try {
      await sendEvent(type, id, 'home-recommendations');
      setNote(type === 'like' ? `Noted: more like ${title}.` : `Noted: fewer like ${title}.`);
      recs.reload();
    } catch (e) {
      setNote(`Could not send that feedback: ${(e as Error).message}`);
    }
  };
  return (
    <section aria-labelledby="recs-h">
      <div className="row-head">
        <h2 id="recs-h">Recommended for you</h2>
        <label>
          Mood{' '}
          <select value={mood} onChange={(e) => setMood(e.target.value)}>
            <option value="">Any</option>
            {MOODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {note}
      </p>
      {note && <p className="note">{note}</p>}
      {recs.error && <ErrorState error={recs.error} retry={recs.reload} what="your recommendations" />}
      {!recs.data && recs.loading && <Loading what="recommendations" />}
      {recs.data && recs.data.items.length === 0 && (
        <Empty title="Nothing to recommend yet.">
          <p>
            Recommendations only include titles on your services in {recs.data.region}. Pick your services in{' '}
            <a href="/settings">Settings</a>, or like a few titles.
          </p>
        </Empty>
      )}
      <div className="cards" data-testid="recommendations">
        {recs.data?.items.map((r) => (
          <TitleCard
            key={r.id}
            title={r}
            why={r.why}
            offers={r.offers}
            services={recs.data?.services}
            names={(id) => platformName(names.data, id)}
          >
            <p className="feedback">
              <button
                type="button"
                aria-label={`More like ${r.title}`}
                onClick={() => void feedback('like', r.id, r.title)}
              >
                👍
              </button>
              <button
                type="button"
                aria-label={`Less like ${r.title}`}
                onClick={() => void feedback('dislike', r.id, r.title)}
              >
                👎
              </button>
            </p>
          </TitleCard>
        ))}
      </div>
    </section>
  );
}

/** The catalog in a stable order, with the person's region and services applied to the badges. */
function Browse() {
  const { settings } = useSession();
  const region = settings?.region ?? 'US';
  const [type, setType] = useState('');
  const [pages, setPages] = useState<TitlePage[]>([]);
  const first = useAsync(
    (signal) =>
      api<TitlePage>(`/api/titles?limit=24&region=${region}${type ? `&type=${type}` : ''}`, { signal, auth: false }),
    [region, type],
  );
  const names = useAsync(() => platforms(), []);
  useEffect(() => setPages(first.data ? [first.data] : []), [first.data]);
  const last = pages[pages.length - 1];
  const more = async () => {
    if (!last?.nextCursor) return;
    const next = await api<TitlePage>(
      `/api/titles?limit=24&region=${region}${type ? `&type=${type}` : ''}` +
        `&cursor=${encodeURIComponent(last.nextCursor)}`,
      { auth: false },
    );
    setPages((p) => [...p, next]);
  };
  return (
    <section aria-labelledby="browse-h">
      <div className="row-head">
        <h2 id="browse-h">Browse the catalog ({region})</h2>
        <label>
          Show{' '}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">Movies and series</option>
            <option value="movie">Movies</option>
            <option value="series">Series</option>
          </select>
        </label>
      </div>
      {first.error && <ErrorState error={first.error} retry={first.reload} what="the catalog" />}
      {!first.data && first.loading && <Loading what="the catalog" />}
      <div className="cards">
        {pages
          .flatMap((p) => p.items)
          .map((t) => (
            <TitleCard
              key={t.id}
              title={t}
              offers={t.offers}
              services={settings?.services}
              names={(id) => platformName(names.data, id)}
            />
          ))}
      </div>
      {last?.nextCursor && (
        <button type="button" className="more" onClick={() => void more()}>
          Show more titles
        </button>
      )}
    </section>
  );
}
