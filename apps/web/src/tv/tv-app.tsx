import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.ts';
import type { HomeView, TitleDetails, TitlePage } from '../api/types.ts';
import { createTokenStore, onTokensChange, setActiveTokenStore } from '../auth/token-store.ts';
import { factsLine } from '../components/title-card.tsx';
import { SyncProvider, useSync } from '../sync/sync-provider.tsx';
import { useAsync } from '../use-async.ts';
import { installSpatialNav } from './spatial-nav.ts';
import { TvHomeRow } from './tv-home-row.tsx';
import { TvOffers, tvOffers } from './tv-offers.tsx';
import { TvPairing } from './tv-pairing.tsx';
import { TvRow } from './tv-row.tsx';
import { TvSampleNote } from './tv-sample-note.tsx';
import { TvSearch, TvSearchForm } from './tv-search.tsx';
import './tv.css';

const tvTokens = createTokenStore('mg.tv.tokens', 'mg-tv');
// This chunk loads only for /tv: switch the API client to the TV's grant before anything renders,
// because children's effects (the rows' first loads) run before TvApp's own effect.
setActiveTokenStore(tvTokens);

/** TV mode (/tv): a 10-foot layout for 1920×1080, driven by arrow keys, with its own grant. */
export function TvApp() {
  const [signedIn, setSignedIn] = useState(() => Boolean(tvTokens.get()));
  useEffect(() => {
    setActiveTokenStore(tvTokens);
    document.title = 'Media Gateway · TV';
    document.documentElement.classList.add('tv');
    return onTokensChange(() => setSignedIn(Boolean(tvTokens.get())));
  }, []);
  return (
    <div className="tv-root">
      {signedIn ? (
        <SyncProvider store={tvTokens} signedIn type="tv">
          <TvHome />
        </SyncProvider>
      ) : (
        <TvPairing store={tvTokens} />
      )}
    </div>
  );
}

interface Opened {
  titleId: string;
  positionSeconds: number | null;
  from?: string;
}

function TvHome() {
  const sync = useSync();
  const [opened, setOpened] = useState<Opened>();
  const [query, setQuery] = useState<string>();
  const seen = useRef(new Set<string>());
  // Back closes an open title first, then a search.
  const openedRef = useRef(opened);
  openedRef.current = opened;
  const back = useCallback(() => {
    if (openedRef.current) setOpened(undefined);
    else setQuery(undefined);
  }, []);
  const close = useCallback(() => setOpened(undefined), []);
  useEffect(() => installSpatialNav(back), [back]);
  // Handoffs wait in this device's inbox (delivered live when online): open the newest, ack them all.
  useEffect(() => {
    const client = sync.client;
    if (!client) return;
    const check = () => {
      const inbox = client.inbox();
      const newest = inbox[inbox.length - 1];
      for (const h of inbox) client.ackHandoff(h.id);
      if (newest && !seen.current.has(newest.id)) {
        seen.current.add(newest.id);
        setOpened({
          titleId: newest.titleId,
          positionSeconds: newest.positionSeconds ?? null,
          from: newest.fromDevice,
        });
      }
    };
    check();
    const offChange = client.on('change', check);
    const offHandoff = client.on('handoff', (h) => {
      if (seen.current.has(h.id)) return;
      seen.current.add(h.id);
      setOpened({ titleId: h.titleId, positionSeconds: h.positionSeconds, from: h.fromDevice });
    });
    return () => {
      offChange();
      offHandoff();
    };
  }, [sync.client]);

  return (
    <>
      <header className="tv-header">
        <span className="brand">Media Gateway</span>
        <TvSearchForm
          onSearch={(q) => {
            setOpened(undefined);
            setQuery(q);
          }}
        />
        <span className={`tv-status tv-status-${sync.status}`} role="status">
          {sync.status === 'online'
            ? 'Connected · ready for “Send to TV”'
            : sync.status === 'connecting'
              ? 'Connecting…'
              : 'Offline'}
        </span>
        <button type="button" data-tv-focus="" onClick={() => tvTokens.set(undefined)}>
          Sign out of this TV
        </button>
      </header>
      {sync.error && <p role="alert">{sync.error}</p>}
      {opened ? (
        <TvTitle opened={opened} onClose={close} />
      ) : query ? (
        <TvSearch
          query={query}
          onOpen={(id) => setOpened({ titleId: id, positionSeconds: null })}
          onBack={() => setQuery(undefined)}
        />
      ) : (
        <TvRows onOpen={(id) => setOpened({ titleId: id, positionSeconds: null })} />
      )}
    </>
  );
}

/** The start page's rows (GET /api/home, the same as the web app's) under the person's watchlist. */
function TvRows({ onOpen }: { onOpen: (id: string) => void }) {
  const sync = useSync();
  const home = useAsync((signal) => api<HomeView>('/api/home', { signal }), []);
  const browse = useAsync((signal) => api<TitlePage>('/api/titles?limit=18', { signal }), []);
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body)
      first.current?.querySelector<HTMLElement>('[data-tv-focus]')?.focus();
  });
  const watchIds = sync.watchlist.map((w) => w.titleId);
  const watchTitles = useAsync(
    () => Promise.all(watchIds.map((id) => api<TitleDetails>(`/api/titles/${id}`).catch(() => null))),
    [watchIds.join(',')],
  );
  const watched = (watchTitles.data ?? []).filter((t): t is TitleDetails => t !== null);
  return (
    <div ref={first} className="tv-rows" data-testid="tv-rows">
      <TvSampleNote from={[home.data?.sampleData, browse.data?.sampleData, ...watched.map((t) => t.sampleData)]} />
      <TvRow
        label="Your watchlist"
        items={watched}
        empty="Your watchlist is empty. Add titles from your phone or laptop."
        onOpen={onOpen}
      />
      {home.error && <p className="muted">The start page rows are unavailable right now.</p>}
      {home.data?.rows.map((row) => (
        <TvHomeRow key={row.id} row={row} onOpen={onOpen} />
      ))}
      <TvRow
        label="Browse"
        items={browse.data?.items ?? []}
        empty={browse.error ? 'The catalog is unavailable right now.' : 'Loading…'}
        onOpen={onOpen}
      />
    </div>
  );
}

/** A handed-off (or chosen) title: the best link is focused, so OK on the remote opens it. */
function TvTitle({ opened, onClose }: { opened: Opened; onClose: () => void }) {
  const title = useAsync((signal) => api<TitleDetails>(`/api/titles/${opened.titleId}`, { signal }), [opened.titleId]);
  const firstLink = useRef<HTMLAnchorElement>(null);
  const sync = useSync();
  useEffect(() => {
    if (title.data) firstLink.current?.focus();
  }, [title.data]);
  const t = title.data;
  const offers = t ? tvOffers(t) : [];
  return (
    <section className="tv-title" aria-labelledby="tv-title-h" data-testid="tv-title">
      {opened.from && <p className="tv-from">Sent from {senderName(opened.from, sync.client?.devices() ?? [])}</p>}
      {title.error && <p role="alert">This title could not be loaded: {title.error.message}</p>}
      {!t && !title.error && <p role="status">Loading…</p>}
      {t && (
        <>
          <TvSampleNote from={[t.sampleData]} />
          <h1 id="tv-title-h">{t.title}</h1>
          <p className="facts">{factsLine(t)}</p>
          {opened.positionSeconds ? <p>Resume at {Math.floor(opened.positionSeconds / 60)} min</p> : null}
          {t.description && <p className="tv-desc">{t.description.text}</p>}
          <TvOffers offers={offers.slice(0, 6)} firstLink={firstLink} />
          {offers.length === 0 && <p>No source has reported where to watch this yet.</p>}
        </>
      )}
      <button type="button" data-tv-focus="" onClick={onClose}>
        Back
      </button>
    </section>
  );
}

/** Who sent a handoff, in words: a registered device by its name, otherwise the app it came through. */
export function senderName(fromDevice: string, devices: ReadonlyArray<{ id: string; name: string }>): string {
  const device = devices.find((d) => d.id === fromDevice);
  if (device) return device.name;
  if (fromDevice === 'api-mg-web') return 'the web app';
  if (fromDevice === 'api-mg-cli') return 'the command line';
  if (fromDevice === 'api-mg-tv') return 'a TV';
  return fromDevice.startsWith('api-') ? 'an app you signed in to' : fromDevice;
}
