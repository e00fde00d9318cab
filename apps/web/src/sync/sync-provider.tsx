import type { SyncClient } from '@media-gateway/sync/client';
import type { WatchlistItem } from '@media-gateway/sync';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { accessToken, type TokenStore } from '../auth/token-store.ts';

export interface SyncState {
  client: SyncClient | undefined;
  status: 'offline' | 'connecting' | 'online' | 'signed-out';
  watchlist: WatchlistItem[];
  error: string | undefined;
}

const SyncContext = createContext<SyncState>({
  client: undefined,
  status: 'signed-out',
  watchlist: [],
  error: undefined,
});

/** This browser's sync device id: stable per browser profile (localStorage), e.g. web-k3j9x2. */
export function localDeviceId(prefix: string): string {
  const key = `mg.${prefix}.deviceId`;
  let id = localStorage.getItem(key);
  if (!id) {
    id = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    localStorage.setItem(key, id);
  }
  return id;
}

export function deviceName(type: 'web' | 'tv'): string {
  if (type === 'tv') return 'TV (browser)';
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  return `${browser} on ${/Android|iPhone|iPad/.test(ua) ? 'phone' : 'computer'}`;
}

/**
 * Keeps a live replica of the person's watchlist, progress and devices through the sync client
 * (WebSocket /sync). The client library is loaded on demand so it stays out of the first load.
 */
export function SyncProvider(props: { store: TokenStore; signedIn: boolean; type: 'web' | 'tv'; children: ReactNode }) {
  const { store, signedIn, type } = props;
  const [state, setState] = useState<SyncState>({
    client: undefined,
    status: 'signed-out',
    watchlist: [],
    error: undefined,
  });
  useEffect(() => {
    if (!signedIn) {
      setState({ client: undefined, status: 'signed-out', watchlist: [], error: undefined });
      return;
    }
    let client: SyncClient | undefined;
    let closed = false;
    (async () => {
      const { SyncClient, webStorage } = await import('@media-gateway/sync/client');
      if (closed) return;
      const deviceId = localDeviceId(type);
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      client = await SyncClient.open({
        url: `${proto}//${location.host}/sync`,
        token: async () => (await accessToken(store)) ?? '',
        deviceId,
        device: { name: deviceName(type), type, capabilities: type === 'tv' ? ['handoff', 'play'] : ['handoff'] },
        storage: webStorage(localStorage, `mg.${type}.replica`),
      });
      if (closed) {
        void client.close();
        return;
      }
      const c = client;
      const update = () => setState((s) => ({ ...s, client: c, status: c.status, watchlist: c.watchlist() }));
      c.on('change', update);
      c.on('status', update);
      c.on('error', (e) => setState((s) => ({ ...s, error: e.message || `Sync stopped (${e.code}). Sign in again.` })));
      update();
      c.connect();
    })().catch((e: Error) => setState((s) => ({ ...s, status: 'offline', error: e.message })));
    // A reload or a closed tab runs no effect clean-up: save what the debounce still holds.
    const saveOnLeave = () => void client?.saveNow();
    addEventListener('pagehide', saveOnLeave);
    return () => {
      closed = true;
      removeEventListener('pagehide', saveOnLeave);
      void client?.close();
    };
  }, [signedIn, store, type]);
  return <SyncContext.Provider value={state}>{props.children}</SyncContext.Provider>;
}

export function useSync(): SyncState {
  return useContext(SyncContext);
}
