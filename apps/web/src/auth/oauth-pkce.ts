import { oauthPost } from '../api/api-client.ts';
import { sha256 } from './sha256.ts';
import { tokensFromResponse, webTokens } from './token-store.ts';

/**
 * Sign-in for the web app: OAuth 2.1 authorization code with PKCE (S256) against this gateway's
 * own authorization server, as the first-party public client `mg-web`. The registered redirect is
 * `<public URL>/app/callback`; the verifier and state stay in sessionStorage for this tab only.
 */
export const WEB_CLIENT_ID = 'mg-web';
export const WEB_SCOPES = 'catalog:read watchlist:read watchlist:write devices recommendations admin';
const PENDING_KEY = 'mg.web.pkce';

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function redirectUri(): string {
  return `${location.origin}/app/callback`;
}

/** Sends the browser to the authorization endpoint; comes back to /app/callback. */
export async function signIn(returnTo: string = location.pathname + location.search): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  const bytes = new TextEncoder().encode(verifier);
  const digest = crypto.subtle ? new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)) : sha256(bytes);
  const challenge = base64url(digest);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL('/oauth/authorize', location.origin);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: WEB_CLIENT_ID,
    redirect_uri: redirectUri(),
    scope: WEB_SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/** Finishes the redirect: checks state, redeems the code, stores the tokens; returns where to go. */
export async function finishSignIn(search: string): Promise<string> {
  const q = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (q.get('error')) throw new Error(q.get('error_description') ?? `Sign-in failed (${q.get('error')}).`);
  if (!pending || q.get('state') !== pending.state)
    throw new Error('This sign-in link is stale or was not started in this tab. Please sign in again.');
  const code = q.get('code');
  if (!code) throw new Error('The sign-in answer had no authorization code.');
  const body = await oauthPost<Parameters<typeof tokensFromResponse>[0]>('/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(),
    client_id: WEB_CLIENT_ID,
    code_verifier: pending.verifier,
  });
  webTokens.set(tokensFromResponse(body));
  return pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
}

/** Forgets this browser's grant and revokes it on the server (best effort). */
export async function signOut(): Promise<void> {
  const t = webTokens.get();
  webTokens.set(undefined);
  if (t?.refreshToken)
    await oauthPost('/oauth/revoke', { token: t.refreshToken, client_id: WEB_CLIENT_ID }).catch(() => undefined);
}
