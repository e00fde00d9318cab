import { accessToken, refreshTokens } from '../auth/token-store.ts';

/** A problem+json answer (RFC 9457) from the gateway, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Send the access token when there is one (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const p = JSON.parse(text) as {
      code?: string;
      detail?: string;
      title?: string;
      error?: string;
      error_description?: string;
    } & Record<string, unknown>;
    return new ApiError(
      res.status,
      p.code ?? p.error ?? `HTTP_${res.status}`,
      p.detail ?? p.error_description ?? p.title ?? res.statusText,
      p,
    );
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
  }
}

/** Calls the public API on this origin. A 401 with a stored refresh token refreshes once and retries. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const send = async (token: string | undefined) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    try {
      return await fetch(path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(
        0,
        'NETWORK',
        'Could not reach the Media Gateway server. Check that it is running and try again.',
      );
    }
  };
  const useAuth = options.auth !== false;
  let res = await send(useAuth ? await accessToken() : undefined);
  if (res.status === 401 && useAuth && (await refreshTokens())) res = await send(await accessToken());
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Form-encoded POST for the OAuth endpoints (RFC 6749 requires application/x-www-form-urlencoded). */
export async function oauthPost<T>(path: string, form: Record<string, string>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Could not reach the Media Gateway server.');
  }
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}
