import { useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import { sendEvent } from '../api/events.ts';
import type { Device, Recommendation, TitleDetails } from '../api/types.ts';
import { signIn } from '../auth/oauth-pkce.ts';
import { Cover, posterSrc } from '../components/cover.tsx';
import { distinctOffers } from '@media-gateway/domain/offer-age';
import { OfferRow } from '../components/offer-list.tsx';
import { SampleBanner } from '../components/sample-banner.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { factsLine } from '../components/title-card.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useSync } from '../sync/sync-provider.tsx';
import { useAsync } from '../use-async.ts';

/**
 * The poster (through the gateway's proxy) with the credit its source requires and when the source
 * last reported it; the generated cover, which needs no credit, when the title has no artwork.
 */
function TitlePoster({ title }: { title: TitleDetails }) {
  const poster = title.images.find((i) => i.kind === 'poster');
  return (
    <figure className="title-poster">
      <Cover id={title.id} src={posterSrc(title, 'm')} width={160} />
      {poster && (
        <figcaption
          className="muted"
          title={poster.seenAt ? `Seen by ${poster.attribution} ${poster.seenAt}` : undefined}
        >
          Poster: {poster.attribution}
          {poster.seenAt ? ` · ${poster.seenAt.slice(0, 10)}` : ''}
        </figcaption>
      )}
    </figure>
  );
}

export function TitlePage({ id }: { id: string }) {
  const title = useAsync(
    (signal) => api<TitleDetails>(`/api/titles/${encodeURIComponent(id)}`, { signal, auth: false }),
    [id],
  );
  const { settings } = useSession();
  useEffect(() => {
    if (title.data) document.title = `${title.data.title} · Media Gateway`;
  }, [title.data]);
  if (title.error) return <ErrorState error={title.error} retry={title.reload} what="this title" fromAddress />;
  if (!title.data) return <Loading what="the title" />;
  const t = title.data;
  const region = settings?.region ?? 'US';
  const services = settings?.services ?? [];
  const regions = Object.keys(t.offers).sort((a, b) => (a === region ? -1 : b === region ? 1 : a.localeCompare(b)));
  return (
    <article className="title-page" aria-labelledby="title-h">
      <SampleBanner />
      <TitlePoster title={t} />
      <h1 id="title-h">{t.title}</h1>
      <p className="facts">{factsLine(t)}</p>
      {t.genres.length > 0 && <p className="genres">{t.genres.join(', ')}</p>}
      {t.description && (
        <p className="description">
          {t.description.text} <span className="muted">(description: {t.description.source})</span>
        </p>
      )}
      {(t.people.directors.length > 0 || t.people.cast.length > 0) && (
        <p className="people">
          {t.people.directors.length > 0 && <>Directed by {t.people.directors.join(', ')}. </>}
          {t.people.cast.length > 0 && <>With {t.people.cast.slice(0, 6).join(', ')}.</>}
        </p>
      )}
      <Actions title={t} />
      <section aria-labelledby="where-h">
        <h2 id="where-h">Where to watch</h2>
        {regions.length === 0 && <Empty title="No source has reported where to watch this yet." />}
        {regions.length > 0 && !t.offers[region] && (
          <p className="note">No known offers in your region ({region}). Other regions are listed below.</p>
        )}
        {regions.map((r) => {
          const list = distinctOffers(Object.values(t.offers[r] ?? {}).flat());
          const body = (
            <ul key={`list-${r}`} className="offers" data-region={r}>
              {list.map((o) => (
                <OfferRow
                  key={`${o.platform}-${o.monetization}-${o.source}`}
                  offer={o}
                  name={o.platformName ?? o.platform}
                  mine={r === region && services.includes(o.platform)}
                />
              ))}
            </ul>
          );
          return r === region ? (
            <div key={r}>
              <h3>In {r} (your region)</h3>
              {body}
            </div>
          ) : (
            <details key={r}>
              <summary>
                In {r} ({list.length} offer{list.length === 1 ? '' : 's'})
              </summary>
              {body}
            </details>
          );
        })}
      </section>
      <Similar id={t.id} />
      <details className="provenance">
        <summary>Where this information comes from</summary>
        <p>
          Resolved from {t.resolution.sources} source record{t.resolution.sources === 1 ? '' : 's'} (lowest match
          confidence {Math.round(t.resolution.confidence * 100)}%).
        </p>
        {/* The record's date is our own ingest, not a sighting by the source: "last seen" would claim a freshness
            the offers above may not have (sample offers are as of their bundled date). */}
        <p className="muted">
          The dates below are when this server last loaded each record, not when the source saw the title: each offer
          above says that.
        </p>
        <ul>
          {t.provenance.map((p) => (
            <li key={`${p.source}-${p.lastSeen}-${p.reason}`}>
              {p.source}: {p.reason} (last loaded by this server on {p.lastSeen.slice(0, 10)})
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}

/** Watchlist, progress and handoff: through the live sync replica when signed in. */
function Actions({ title }: { title: TitleDetails }) {
  const { user } = useSession();
  const sync = useSync();
  const [status, setStatus] = useState('');
  if (user === null) {
    return (
      <p className="actions">
        <button type="button" onClick={() => void signIn()}>
          Sign in to add to your watchlist
        </button>
      </p>
    );
  }
  const item = sync.watchlist.find((i) => i.titleId === title.id);
  const toggle = () => {
    if (!sync.client) return;
    if (item) {
      sync.client.remove(title.id);
      setStatus(`Removed ${title.title} from your watchlist.`);
      void sendEvent('watchlist_remove', title.id, 'title').catch(() => {});
    } else {
      sync.client.add(title.id);
      setStatus(`Added ${title.title} to your watchlist.`);
      void sendEvent('watchlist_add', title.id, 'title').catch(() => {});
    }
  };
  return (
    <div className="actions">
      <button type="button" onClick={toggle} disabled={!sync.client} aria-pressed={Boolean(item)}>
        {item ? '✓ On your watchlist' : '+ Add to watchlist'}
      </button>
      {item?.progress && (
        <span className="progress">
          Stopped at {Math.floor(item.progress.positionSeconds / 60)} min
          {item.progress.durationSeconds ? ` of ${Math.round(item.progress.durationSeconds / 60)}` : ''}
        </span>
      )}
      {item?.watched && <span className="badge">Watched</span>}
      <SendToDevice title={title} />
      <p role="status" aria-live="polite" className="note">
        {status}
      </p>
    </div>
  );
}

function SendToDevice({ title }: { title: TitleDetails }) {
  const devices = useAsync((signal) => api<{ devices: Device[] }>('/api/devices', { signal }), []);
  const [target, setTarget] = useState('');
  const [msg, setMsg] = useState('');
  const own = localStorage.getItem('mg.web.deviceId');
  // Online devices first, TVs before others: the likely target is preselected.
  const rank = (d: Device) => (d.online ? 0 : 2) + (d.type === 'tv' ? 0 : 1);
  const others = (devices.data?.devices ?? []).filter((d) => d.id !== own).sort((a, b) => rank(a) - rank(b));
  if (devices.error || others.length === 0) return null;
  const send = async () => {
    const device = others.find((d) => d.id === (target || others[0]?.id));
    if (!device) return;
    try {
      const r = await api<{ deliveredLive: boolean }>(`/api/devices/${encodeURIComponent(device.id)}/handoff`, {
        method: 'POST',
        body: { titleId: title.id, ...(own ? { from: own } : {}) },
      });
      setMsg(
        r.deliveredLive
          ? `Sent to ${device.name}.`
          : `${device.name} is offline; it will open ${title.title} when it comes back.`,
      );
    } catch (e) {
      setMsg(`Could not send: ${(e as Error).message}`);
    }
  };
  return (
    <span className="send">
      <label>
        Send to{' '}
        <select value={target || others[0]?.id} onChange={(e) => setTarget(e.target.value)}>
          {others.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.type}){d.online ? ' · online' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void send()}>
        Send
      </button>
      <span role="status" aria-live="polite">
        {msg}
      </span>
    </span>
  );
}

function Similar({ id }: { id: string }) {
  const similar = useAsync(
    (signal) => api<{ items: Recommendation[] }>(`/api/titles/${id}/similar?limit=8`, { signal }),
    [id],
  );
  if (similar.error || !similar.data || similar.data.items.length === 0) return null;
  return (
    <section aria-labelledby="similar-h">
      <h2 id="similar-h">Similar titles</h2>
      <ul className="similar">
        {similar.data.items.map((s) => (
          <li key={s.id}>
            <Link href={`/title/${s.id}`}>{s.title}</Link> <span className="muted">{s.why}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
