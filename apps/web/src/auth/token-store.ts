import { clearOfflineData } from '../pwa/offline-data.ts';

/**
 * OAuth tokens for this browser. The web app (client mg-web) and TV mode (client mg-tv) keep
 * separate stores, so a TV window never borrows a person's laptop grant. Tokens live in
 * localStorage so every tab shares one grant; refreshes are serialised across tabs with the Web
 * Locks API because refresh tokens rotate and a reused one revokes the whole grant (reuse detection).
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** epoch ms */
  expiresAt: number;
  scopes: string[];
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

export interface TokenStore {
  readonly key: string;
  readonly clientId: string;
  get(): Tokens | undefined;
  set(tokens: Tokens | undefined): void;
}

const listeners = new Set<() => void>();

export function createTokenStore(key: string, clientId: string): TokenStore {
  return {
    key,
    clientId,
    get() {
      try {
        const raw = localStorage.getItem(key);
        return raw ? (JSON.parse(raw) as Tokens) : undefined;
      } catch {
        return undefined;
      }
    },
    set(tokens) {
      if (tokens) localStorage.setItem(key, JSON.stringify(tokens));
      else {
        localStorage.removeItem(key);
        // Signed out, revoked or expired: what the service worker kept offline for them goes too.
        void clearOfflineData().catch(() => undefined);
      }
      for (const fn of listeners) fn();
    },
  };
}

export const webTokens = createTokenStore('mg.web.tokens', 'mg-web');
let active: TokenStore = webTokens;

/** TV mode switches the API client to its own grant. */
export function setActiveTokenStore(store: TokenStore): void {
  active = store;
  for (const fn of listeners) fn();
}
export function activeStore(): TokenStore {
  return active;
}

export function onTokensChange(fn: () => void): () => void {
  listeners.add(fn);
  const onStorage = (e: StorageEvent) => {
    if (e.key === active.key) fn();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

export function tokensFromResponse(body: TokenResponse): Tokens {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? null,
    expiresAt: Date.now() + (body.expires_in ?? 300) * 1000,
    scopes: (body.scope ?? '').split(/\s+/).filter(Boolean),
  };
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: { request(n: string, f: () => Promise<T>): Promise<T> } }).locks;
  return locks ? locks.request(name, fn) : fn();
}

/** Refreshes the active grant; false when there is nothing to refresh or the grant is gone. */
export async function refreshTokens(store: TokenStore = active): Promise<boolean> {
  const before = store.get()?.refreshToken;
  if (!before) return false;
  return withLock(`mg-refresh:${store.key}`, async () => {
    const current = store.get();
    // Another tab rotated it while we waited for the lock: use its result.
    if (current?.refreshToken && current.refreshToken !== before) return true;
    if (!current?.refreshToken) return false;
    const res = await fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        client_id: store.clientId,
      }),
    }).catch(() => undefined);
    if (!res) return false; // offline: keep the grant and try later
    if (!res.ok) {
      // invalid_grant: revoked, expired or reused. The person has to sign in again.
      if (res.status === 400 || res.status === 401) store.set(undefined);
      return false;
    }
    store.set(tokensFromResponse((await res.json()) as TokenResponse));
    return true;
  });
}

/** A usable access token for the active grant, refreshed shortly before it expires. */
export async function accessToken(store: TokenStore = active): Promise<string | undefined> {
  const t = store.get();
  if (!t) return undefined;
  if (t.expiresAt - Date.now() < 30_000 && t.refreshToken) {
    await refreshTokens(store);
    return store.get()?.accessToken;
  }
  return t.accessToken;
}
