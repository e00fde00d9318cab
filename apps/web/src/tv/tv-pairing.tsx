import { useEffect, useState } from 'react';
import { ApiError, oauthPost } from '../api/api-client.ts';
import { type TokenStore, tokensFromResponse } from '../auth/token-store.ts';

export const TV_CLIENT_ID = 'mg-tv';
const TV_SCOPES = 'catalog:read watchlist:read watchlist:write devices recommendations';

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/**
 * The TV signs in with the device authorization grant (RFC 8628): it shows a short code, the
 * person approves it on their phone or laptop, and the TV polls the token endpoint meanwhile.
 */
export function TvPairing({ store }: { store: TokenStore }) {
  const [auth, setAuth] = useState<DeviceAuthorization>();
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt asks for a fresh code
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setError(undefined);
    (async () => {
      const started = await oauthPost<DeviceAuthorization>('/oauth/device_authorization', {
        client_id: TV_CLIENT_ID,
        scope: TV_SCOPES,
      });
      if (stopped) return;
      setAuth(started);
      let interval = (started.interval ?? 5) * 1000;
      const expiresAt = Date.now() + started.expires_in * 1000;
      const poll = async () => {
        if (stopped) return;
        if (Date.now() > expiresAt) return setAttempt((n) => n + 1); // a fresh code
        try {
          const body = await oauthPost<Parameters<typeof tokensFromResponse>[0]>('/oauth/token', {
            grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
            device_code: started.device_code,
            client_id: TV_CLIENT_ID,
          });
          if (!stopped) store.set(tokensFromResponse(body));
          return;
        } catch (e) {
          const code = e instanceof ApiError ? e.code : 'NETWORK';
          if (code === 'slow_down')
            interval += 5000; // RFC 8628 §3.5
          else if (code === 'expired_token') return setAttempt((n) => n + 1);
          else if (code === 'access_denied')
            return setError('The request was declined on the other device. Press OK to get a new code.');
          else if (code !== 'authorization_pending' && code !== 'NETWORK') return setError((e as Error).message);
        }
        timer = setTimeout(() => void poll(), interval);
      };
      timer = setTimeout(() => void poll(), interval);
    })().catch((e: Error) => !stopped && setError(e.message));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [attempt, store]);

  return (
    <section className="tv-pair" aria-labelledby="tv-pair-h">
      <h1 id="tv-pair-h">Sign in on this TV</h1>
      {!auth && !error && <p role="status">Getting a code…</p>}
      {auth && (
        <>
          <p>
            On your phone or computer, open <strong>{auth.verification_uri}</strong> and enter this code:
          </p>
          <p className="tv-code" data-testid="tv-code">
            {auth.user_code}
          </p>
          <p className="muted">
            This screen continues by itself once you approve. The code expires in {Math.round(auth.expires_in / 60)}{' '}
            minutes.
          </p>
        </>
      )}
      {error && (
        <div role="alert">
          <p>{error}</p>
          <button type="button" data-tv-focus="" onClick={() => setAttempt((n) => n + 1)}>
            OK
          </button>
        </div>
      )}
    </section>
  );
}
