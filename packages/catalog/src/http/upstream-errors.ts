import { DomainError } from '@media-gateway/domain';

/**
 * A failed call to an outside API. `retryable` is true for what may succeed later (429, 5xx,
 * timeouts, connection errors); `countsAsFailure` is what the circuit breaker counts: a 429 means
 * "slow down", not "the upstream is broken", so it does not open the breaker.
 */
export class UpstreamError extends DomainError {
  constructor(
    readonly source: string,
    readonly status: number | undefined,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(
      status === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE',
      message,
      {
        source,
        status,
        reason: message,
        ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
      },
      cause,
    );
  }

  get countsAsFailure(): boolean {
    return this.retryable && this.status !== 429;
  }
}

/** The source's daily/monthly quota is spent (YouTube 403 quotaExceeded, RapidAPI quota 429 with no key left). */
export class QuotaExceededError extends DomainError {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super('RATE_LIMITED', message, { source, reason: 'quota_exceeded' });
  }
}

/** The circuit for a source is open: calls fail fast until the half-open probe. */
export class CircuitOpenError extends DomainError {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super('UPSTREAM_UNAVAILABLE', message, { source, reason: 'circuit_open' });
  }
}

/** A response body that is not what the API documents (invalid JSON, GraphQL errors[], wrong shape). */
export class MalformedResponseError extends DomainError {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super('UPSTREAM_UNAVAILABLE', message, { source, reason: 'malformed_response' });
  }
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
