import { useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import type { TitleDetails } from '../api/types.ts';
import { signIn } from '../auth/oauth-pkce.ts';
import { Empty, Loading } from '../components/states.tsx';
import { factsLine } from '../components/title-card.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useSync } from '../sync/sync-provider.tsx';

const titleCache = new Map<string, Promise<TitleDetails | null>>();
function loadTitle(id: string): Promise<TitleDetails | null> {
  let p = titleCache.get(id);
  if (!p) {
    p = api<TitleDetails>(`/api/titles/${id}`, { auth: false }).catch(() => null);
    titleCache.set(id, p);
  }
  return p;
}

/** The watchlist, straight from the live sync replica: edits on other devices appear by themselves. */
export function WatchlistPage() {
  const { user } = useSession();
  const sync = useSync();
  const [titles, setTitles] = useState<Map<string, TitleDetails | null>>(new Map());
  useEffect(() => {
    document.title = 'Watchlist · Media Gateway';
  }, []);
  useEffect(() => {
    let live = true;
    Promise.all(sync.watchlist.map(async (i) => [i.titleId, await loadTitle(i.titleId)] as const)).then(
      (pairs) => live && setTitles(new Map(pairs)),
    );
    return () => {
      live = false;
    };
  }, [sync.watchlist]);
  if (user === undefined) return <Loading what="your account" />;
  if (user === null) {
    return (
      <Empty title="Sign in to keep a watchlist.">
        <p>Your watchlist follows you to every device you sign in on: phone, laptop and TV.</p>
        <button type="button" onClick={() => void signIn('/watchlist')}>
          Sign in
        </button>
      </Empty>
    );
  }
  return (
    <section aria-labelledby="wl-h">
      <h1 id="wl-h">Your watchlist</h1>
      <p className="muted" role="status">
        {sync.status === 'online'
          ? 'Live: changes on your other devices show up here at once.'
          : sync.status === 'connecting'
            ? 'Connecting…'
            : 'Offline: changes are kept on this device and sent when the connection is back.'}
      </p>
      {sync.error && (
        <p className="state-error" role="alert">
          {sync.error}
        </p>
      )}
      {sync.watchlist.length === 0 && sync.status !== 'connecting' && (
        <Empty title="Your watchlist is empty.">
          <p>
            Open any title and choose “Add to watchlist”. <Link href="/">Browse the catalog</Link>.
          </p>
        </Empty>
      )}
      <ul className="watchlist" data-testid="watchlist">
        {sync.watchlist.map((i) => {
          const t = titles.get(i.titleId);
          return (
            <li key={i.titleId} data-title-id={i.titleId}>
              <Link href={`/title/${i.titleId}`}>
                {t?.title ?? (t === null ? `Unknown title ${i.titleId}` : i.titleId)}
              </Link>{' '}
              {t && <span className="muted">{factsLine(t)}</span>}
              {i.progress && (
                <span className="progress"> · stopped at {Math.floor(i.progress.positionSeconds / 60)} min</span>
              )}
              {i.watched && <span className="badge">Watched</span>}
              <button
                type="button"
                aria-label={`Remove ${t?.title ?? i.titleId} from your watchlist`}
                onClick={() => sync.client?.remove(i.titleId)}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
