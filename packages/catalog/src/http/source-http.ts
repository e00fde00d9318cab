import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  type CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  type RetryPolicy,
  retry,
} from 'cockatiel';
import { sleep, TokenBucket } from './token-bucket.ts';
import {
  CircuitOpenError,
  MalformedResponseError,
  parseRetryAfter,
  QuotaExceededError,
  UpstreamError,
} from './upstream-errors.ts';

/** How one source authenticates a request with one of its keys. */
/**
 * Wraps every call to a live source (the gateway's tracing: a span per call and the W3C
 * `traceparent` header). `send` performs the call with the extra headers it is given.
 */
export type OutgoingCallHook = (
  call: { source: string; method: string; path: string },
  send: (extraHeaders: Record<string, string>) => Promise<Response>,
) => Promise<Response>;

let outgoingCallHook: OutgoingCallHook | undefined;

/** Installs (or, with undefined, removes) the hook for this process. */
export function instrumentOutgoingCalls(hook: OutgoingCallHook | undefined): void {
  outgoingCallHook = hook;
}

export type KeyAuth = (key: string) => { headers?: Record<string, string>; query?: Record<string, string> };

export interface SourceHttpOptions {
  /** Source name for errors and metrics (`tmdb`). */
  source: string;
  baseUrl: string;
  /** One or more keys; several are rotated when one is rate-limited or out of quota. Empty = no auth. */
  keys?: readonly string[];
  auth?: KeyAuth;
  /** Token bucket: documented limit of the API (requests per second) and burst size. */
  ratePerSecond: number;
  burst?: number;
  timeoutMs?: number;
  /** Attempts per request, first included. */
  maxAttempts?: number;
  /** First backoff step; doubles per attempt with full jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails with RATE_LIMITED. */
  maxRetryAfterMs?: number;
  /** Consecutive failures that open the circuit (default 3), and how long it stays open (default 60 s). */
  breakerThreshold?: number;
  breakerOpenMs?: number;
  /** Decides whether an error response means "this key's quota is spent" (YouTube: 403 quotaExceeded). */
  isQuotaExceeded?: (status: number, body: unknown) => boolean;
  /** Max entries in the conditional-request (ETag / Last-Modified) cache. 0 disables it. */
  cacheEntries?: number;
  userAgent?: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  method?: 'GET' | 'POST';
  /** JSON body (POST). */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpStats {
  requests: number;
  retries: number;
  rateLimited: number;
  failures: number;
  breakerOpens: number;
  cacheRevalidated: number;
  keyRotations: number;
}

interface CacheEntry {
  etag?: string;
  lastModified?: string;
  body: unknown;
}

/**
 * The one resilient HTTP helper every live connector uses. Per call: rate limit (token bucket) →
 * retry (exponential backoff with full jitter; a Retry-After header wins) → circuit breaker
 * (consecutive failures open it for `breakerOpenMs`, then one probe call half-opens it) →
 * timeout → fetch. Keys rotate on 429/quota/401; GETs revalidate with If-None-Match/If-Modified-Since.
 */
export class SourceHttp {
  readonly stats: HttpStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    failures: 0,
    breakerOpens: 0,
    cacheRevalidated: 0,
    keyRotations: 0,
  };
  readonly breaker: CircuitBreakerPolicy;
  private readonly retryPolicy: RetryPolicy;
  private readonly bucket: TokenBucket;
  private readonly keys: string[];
  /** Per key: epoch ms until which it must not be used (429 cool-down, spent quota, rejected). */
  private readonly keyBlockedUntil: number[];
  private keyIndex = 0;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly o: Required<Omit<SourceHttpOptions, 'keys' | 'auth' | 'isQuotaExceeded' | 'burst' | 'userAgent'>> &
    SourceHttpOptions;

  constructor(options: SourceHttpOptions) {
    this.o = {
      timeoutMs: 15_000,
      maxAttempts: 4,
      baseBackoffMs: 250,
      maxBackoffMs: 30_000,
      maxRetryAfterMs: 120_000,
      breakerThreshold: 3,
      breakerOpenMs: 60_000,
      cacheEntries: 2_000,
      ...options,
    };
    this.keys = [...(options.keys ?? [])];
    this.keyBlockedUntil = this.keys.map(() => 0);
    this.bucket = new TokenBucket(options.ratePerSecond, options.burst);
    this.breaker = circuitBreaker(
      handleWhen((e) => e instanceof UpstreamError && e.countsAsFailure),
      {
        halfOpenAfter: this.o.breakerOpenMs,
        breaker: new ConsecutiveBreaker(this.o.breakerThreshold),
      },
    );
    this.breaker.onBreak(() => this.stats.breakerOpens++);
    this.retryPolicy = retry(
      handleWhen((e) => e instanceof UpstreamError && e.retryable),
      {
        maxAttempts: this.o.maxAttempts - 1,
        backoff: this.backoff(),
      },
    );
    this.retryPolicy.onRetry(() => this.stats.retries++);
  }

  get circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    return (['closed', 'open', 'half-open', 'isolated'] as const)[this.breaker.state as CircuitState]!;
  }

  /** GET/POST a JSON resource; throws UpstreamError, QuotaExceededError, CircuitOpenError or MalformedResponseError. */
  async json<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return (await this.retryPolicy.execute(
        () => this.breaker.execute(() => this.attempt(path, options)),
        options.signal,
      )) as T;
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new CircuitOpenError(
          this.o.source,
          `${this.o.source}: circuit open after ${this.o.breakerThreshold} consecutive ` +
            `failures; retrying in up to ${Math.round(this.o.breakerOpenMs / 1000)} s`,
        );
      }
      throw error;
    }
  }

  /** Exponential backoff with full jitter; a Retry-After from the server replaces it. */
  private backoff(): IBackoffFactory<IRetryBackoffContext<unknown>> {
    const o = this.o;
    const make = (): IBackoff<IRetryBackoffContext<unknown>> & { duration: number } => ({ duration: 0, next: step });
    function step(ctx: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
      const err = 'error' in ctx.result ? ctx.result.error : undefined;
      const server = err instanceof UpstreamError ? err.retryAfterMs : undefined;
      const cap = Math.min(o.maxBackoffMs, o.baseBackoffMs * 2 ** (ctx.attempt - 1));
      const duration = server !== undefined ? server : Math.round(Math.random() * cap);
      return { ...make(), duration };
    }
    return { next: step };
  }

  private pickKey(): number {
    if (this.keys.length === 0) return -1;
    const now = Date.now();
    for (let i = 0; i < this.keys.length; i++) {
      const idx = (this.keyIndex + i) % this.keys.length;
      if (this.keyBlockedUntil[idx]! <= now) {
        if (idx !== this.keyIndex) this.stats.keyRotations++;
        this.keyIndex = idx;
        return idx;
      }
    }
    return -2;
  }

  private url(
    path: string,
    query: RequestOptions['query'],
    key: number,
  ): { url: string; cacheKey: string; headers: Record<string, string> } {
    const u = new URL(path.replace(/^\//, ''), this.o.baseUrl.endsWith('/') ? this.o.baseUrl : `${this.o.baseUrl}/`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    const cacheKey = u.toString();
    const auth = key >= 0 && this.o.auth ? this.o.auth(this.keys[key]!) : {};
    for (const [k, v] of Object.entries(auth.query ?? {})) u.searchParams.set(k, v);
    return { url: u.toString(), cacheKey, headers: auth.headers ?? {} };
  }

  private async attempt(path: string, options: RequestOptions): Promise<unknown> {
    const source = this.o.source;
    const key = this.pickKey();
    if (key === -2) {
      const wait = Math.min(...this.keyBlockedUntil) - Date.now();
      if (wait > this.o.maxRetryAfterMs)
        throw new QuotaExceededError(source, `${source}: every API key is rate-limited or out of quota`);
      throw new UpstreamError(source, 429, `${source}: every API key is cooling down`, true, Math.max(0, wait));
    }
    await this.bucket.take(options.signal);
    const method = options.method ?? 'GET';
    const { url, cacheKey, headers } = this.url(path, options.query, key);
    const cached = method === 'GET' && this.o.cacheEntries > 0 ? this.cache.get(cacheKey) : undefined;
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(this.o.timeoutMs)])
      : AbortSignal.timeout(this.o.timeoutMs);
    this.stats.requests++;
    let res: Response;
    try {
      const send = (extra: Record<string, string>) =>
        fetch(url, {
          method,
          signal,
          headers: {
            accept: 'application/json',
            ...(this.o.userAgent ? { 'user-agent': this.o.userAgent } : {}),
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(cached?.etag ? { 'if-none-match': cached.etag } : {}),
            ...(cached?.lastModified ? { 'if-modified-since': cached.lastModified } : {}),
            ...headers,
            ...(options.headers ?? {}),
            ...extra,
          },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        });
      res = await (outgoingCallHook ? outgoingCallHook({ source, method, path }, send) : send({}));
    } catch (error) {
      options.signal?.throwIfAborted();
      this.stats.failures++;
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new UpstreamError(
        source,
        undefined,
        `${source}: ${
          timedOut ? `no answer within ${this.o.timeoutMs} ms` : `connection failed (${(error as Error).message})`
        }`,
        true,
        undefined,
        error,
      );
    }
    if (res.status === 304 && cached) {
      await res.arrayBuffer();
      this.stats.cacheRevalidated++;
      return cached.body;
    }
    const text = await res.text();
    let body: unknown;
    let parsed = true;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = false;
    }
    if (res.ok) {
      if (!parsed)
        throw new MalformedResponseError(
          source,
          `${source}: ${path} answered ${res.status} with a body that is not JSON`,
        );
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (method === 'GET' && (etag || lastModified) && this.o.cacheEntries > 0) {
        if (this.cache.size >= this.o.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(cacheKey, { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}), body });
      }
      return body;
    }
    return this.fail(res, body, key, path);
  }

  private fail(res: Response, body: unknown, key: number, path: string): never {
    const source = this.o.source;
    const status = res.status;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    const hasOtherKey = this.keys.length > 1;
    if (this.o.isQuotaExceeded?.(status, body)) {
      if (key >= 0) this.keyBlockedUntil[key] = Date.now() + 24 * 3_600_000;
      if (hasOtherKey && this.keyBlockedUntil.some((t) => t <= Date.now())) {
        throw new UpstreamError(source, status, `${source}: key ${key + 1} is out of quota; rotating`, true, 0);
      }
      throw new QuotaExceededError(
        source,
        `${source}: quota exceeded (HTTP ${status}); it resets on the provider's schedule`,
      );
    }
    if (status === 429) {
      this.stats.rateLimited++;
      if (retryAfterMs !== undefined && retryAfterMs > this.o.maxRetryAfterMs) {
        throw new UpstreamError(
          source,
          429,
          `${source}: rate limited; the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s`,
          false,
          retryAfterMs,
        );
      }
      if (key >= 0 && hasOtherKey) {
        this.keyBlockedUntil[key] = Date.now() + (retryAfterMs ?? 1_000);
        throw new UpstreamError(source, 429, `${source}: key ${key + 1} rate limited; rotating`, true, 0);
      }
      throw new UpstreamError(source, 429, `${source}: rate limited (HTTP 429)`, true, retryAfterMs);
    }
    if ((status === 401 || status === 403) && key >= 0 && hasOtherKey) {
      this.keyBlockedUntil[key] = Number.MAX_SAFE_INTEGER;
      if (this.keyBlockedUntil.some((t) => t <= Date.now()))
        throw new UpstreamError(source, status, `${source}: key ${key + 1} rejected; rotating`, true, 0);
    }
    if (status >= 500 || status === 408) {
      this.stats.failures++;
      throw new UpstreamError(source, status, `${source}: ${path} failed with HTTP ${status}`, true, retryAfterMs);
    }
    const detail = describeErrorBody(body);
    if (status === 401)
      throw new UpstreamError(source, status, `${source}: the API key was rejected (HTTP 401${detail})`, false);
    throw new UpstreamError(source, status, `${source}: ${path} answered HTTP ${status}${detail}`, false);
  }
}

function describeErrorBody(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as { status_message?: unknown; message?: unknown; error?: { message?: unknown } };
  const msg = b.status_message ?? b.message ?? b.error?.message;
  return typeof msg === 'string' ? `: ${msg.slice(0, 200)}` : '';
}

export { sleep };
