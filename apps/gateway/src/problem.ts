import type { DomainErrorCode } from '@media-gateway/domain';

/** The one table from error codes to HTTP statuses. */
export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};

/** RFC 9457 problem details. `code` is our stable machine-readable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problem(code: string, status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://media-gateway.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: code
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^\w/, (c) => c.toUpperCase()),
    status,
    code,
    detail,
    ...extra,
  };
}
