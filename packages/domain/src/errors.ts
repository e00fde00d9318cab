/**
 * Stable error codes shared by every package. Each edge (HTTP, MCP, CLI) maps a code once:
 * - NOT_FOUND: the thing named does not exist. details: { resource, id }
 * - INVALID_INPUT: the caller sent something we cannot accept. details: { issues: [{ path, message }] }
 * - CONFLICT: the request clashes with stored state. details: free-form
 * - UNAUTHENTICATED: no valid credentials. details: { reason }
 * - FORBIDDEN: credentials valid but lacking a scope or right. details: { scope? }
 * - RATE_LIMITED: too many requests. details: { retryAfterSeconds }
 * - UPSTREAM_UNAVAILABLE: an outside source failed or is not configured. details: { source, reason }
 * - PAYLOAD_TOO_LARGE: the body or a field is over its documented cap. details: { limit }
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
