import { DomainError } from '@media-gateway/domain';
import { loadTokens, removeTokens, type StoredTokens, saveTokens } from './token-store.ts';

export const CLI_CLIENT_ID = 'mg-cli';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

async function postForm(
  url: string,
  path: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: TokenBody & Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(fields),
    });
  } catch (error) {
    throw new DomainError('UPSTREAM_UNAVAILABLE', `Cannot reach the server at ${url}: ${(error as Error).message}`);
  }
  const text = await res.text();
  let body: TokenBody & Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new DomainError(
      'UPSTREAM_UNAVAILABLE',
      `${url}${path} answered HTTP ${res.status} with something that is not JSON.`,
    );
  }
  return { status: res.status, body };
}

const toStored = (b: TokenBody, now: number): StoredTokens => ({
  clientId: CLI_CLIENT_ID,
  accessToken: b.access_token!,
  refreshToken: b.refresh_token!,
  scope: b.scope ?? '',
  expiresAt: now + (b.expires_in ?? 900) * 1000,
});

export interface DeviceLoginOptions {
  url: string;
  scope?: string | undefined;
  /** Shows the code and URL to the person. */
  show(info: {
    userCode: string;
    verificationUri: string;
    verificationUriComplete?: string | undefined;
    expiresIn: number;
  }): void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * RFC 8628 from the device side: ask for a code, show it, poll every `interval` seconds (5 when the
 * server gives none), adding 5 s on each slow_down for the rest of the login (§3.5).
 */
export async function deviceLogin(options: DeviceLoginOptions): Promise<StoredTokens> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = await postForm(options.url, '/oauth/device_authorization', {
    client_id: CLI_CLIENT_ID,
    ...(options.scope ? { scope: options.scope } : {}),
  });
  if (start.status !== 200)
    throw new DomainError(
      'UNAUTHENTICATED',
      'The server refused to start a login: ' +
        `${start.body.error_description ?? start.body.error ?? `HTTP ${start.status}`}`,
    );
  const b = start.body as Record<string, unknown>;
  const deviceCode = String(b['device_code']);
  let interval = typeof b['interval'] === 'number' ? b['interval'] : 5;
  const deadline = Date.now() + Number(b['expires_in'] ?? 600) * 1000;
  options.show({
    userCode: String(b['user_code']),
    verificationUri: String(b['verification_uri']),
    verificationUriComplete: b['verification_uri_complete'] as string | undefined,
    expiresIn: Number(b['expires_in'] ?? 600),
  });
  while (Date.now() < deadline) {
    await sleep(interval * 1000);
    const poll = await postForm(options.url, '/oauth/token', {
      grant_type: DEVICE_GRANT,
      device_code: deviceCode,
      client_id: CLI_CLIENT_ID,
    });
    if (poll.status === 200 && poll.body.access_token) {
      const tokens = toStored(poll.body, Date.now());
      await saveTokens(options.url, tokens);
      return tokens;
    }
    switch (poll.body.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        interval += 5;
        continue;
      case 'access_denied':
        throw new DomainError('FORBIDDEN', 'The login was denied in the browser.');
      case 'expired_token':
        throw new DomainError(
          'UNAUTHENTICATED',
          'The code expired before it was approved. Run "media-gateway login" again.',
        );
      default:
        throw new DomainError(
          'UNAUTHENTICATED',
          `Login failed: ${poll.body.error_description ?? poll.body.error ?? `HTTP ${poll.status}`}`,
        );
    }
  }
  throw new DomainError('UNAUTHENTICATED', 'The code expired before it was approved. Run "media-gateway login" again.');
}

/** Refreshes a minute before expiry; a refused refresh forgets the tokens (the person must log in again). */
export async function freshAccessToken(url: string): Promise<string | undefined> {
  const stored = await loadTokens(url);
  if (!stored) return undefined;
  if (stored.expiresAt - Date.now() > 60_000) return stored.accessToken;
  const r = await postForm(url, '/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: stored.refreshToken,
    client_id: stored.clientId,
  });
  if (r.status === 200 && r.body.access_token) {
    const next = toStored(r.body, Date.now());
    await saveTokens(url, next);
    return next.accessToken;
  }
  if (r.body.error === 'invalid_grant') await removeTokens(url);
  return undefined;
}

/** Revokes the refresh token (its whole family) and forgets the tokens. */
export async function logout(url: string): Promise<boolean> {
  const stored = await removeTokens(url);
  if (!stored) return false;
  await postForm(url, '/oauth/revoke', { token: stored.refreshToken, client_id: stored.clientId }).catch(
    () => undefined,
  );
  return true;
}
