/**
 * The one thing MCP tools need from the outside world: a way to call the gateway's own REST API.
 * Tools stay thin over the same use cases, validation and scopes as REST (decision 0090).
 *
 * Two implementations exist: `app.inject()` inside the gateway (Streamable HTTP at /mcp) and
 * `fetch` to a running server (stdio, `media-gateway mcp`). Both live in apps/*, which own sockets.
 */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with any ids already URL-encoded, e.g. /api/titles/mg_abc. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The caller's bearer token, forwarded unchanged; the gateway verifies it. */
  token?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON body; undefined for empty bodies (204). */
  json: unknown;
  /** Lower-cased response headers the tools may need (www-authenticate). */
  headers: Record<string, string | undefined>;
}

export interface GatewayApi {
  call(request: ApiRequest): Promise<ApiResponse>;
}

/** Builds `path?query` with undefined values left out. */
export function withQuery(path: string, query: ApiRequest['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The slice of an RFC 9457 problem the tools read. */
export interface ProblemSlice {
  code: string;
  status: number;
  detail: string;
  issues?: Array<{ path: string; message: string }>;
}

export function asProblem(response: ApiResponse): ProblemSlice {
  const body = (response.json ?? {}) as Partial<ProblemSlice> & { error?: string; error_description?: string };
  return {
    code: typeof body.code === 'string' ? body.code : statusCode(response.status),
    status: response.status,
    detail: typeof body.detail === 'string' ? body.detail : `The gateway answered HTTP ${response.status}.`,
    ...(Array.isArray(body.issues) ? { issues: body.issues } : {}),
  };
}

/** Codes for answers without a problem body (a proxy's 502, say): never claims a client fault for a 5xx. */
function statusCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'INVALID_INPUT';
}
