import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@media-gateway/db';
import { DomainError, noopLogger } from '@media-gateway/domain';
import type { AppContext } from '@media-gateway/gateway';

/**
 * Commands run against the catalog in-process, except when a gateway answers at `--url` or `MG_URL` (read
 * commands), or a running server owns the embedded data directory: then they ask that server over HTTP.
 * In-process commands get the gateway's own composition (same config, same services), not copies built here.
 * The gateway and the database are imported when a command opens a backend, so `help` and HTTP-only commands
 * never load them (decision 0012).
 */
export type Backend = { kind: 'db'; db: Db; ctx: AppContext } | { kind: 'http'; url: string };

export async function openBackend(
  options: {
    url?: string | undefined;
    needWrite?: boolean;
    /** Refuse an embedded data directory that holds no database yet, rather than create an empty one. */
    existing?: boolean;
  } = {},
): Promise<Backend> {
  if (options.url) return { kind: 'http', url: options.url.replace(/\/$/, '') };
  const configured = process.env['MG_URL']?.replace(/\/$/, '');
  if (configured && !options.needWrite) {
    if (await answers(configured)) return { kind: 'http', url: configured };
    process.stderr.write(`note: no gateway answers at MG_URL (${configured}); reading the local data directory.\n`);
  }
  // The configuration and the lock file first, on their own: a command that ends up asking the server over HTTP
  // never loads the gateway (≈ 0.3 s of module evaluation).
  const { loadConfig } = await import('@media-gateway/gateway/config');
  const config = loadConfig();
  if (!config.databaseUrl) {
    const { readLock } = await import('@media-gateway/db/data-dir-lock');
    const owner = await readLock(config.dataDir);
    if (owner?.url && !options.needWrite) return { kind: 'http', url: owner.url };
    if (owner) {
      throw new DomainError(
        'CONFLICT',
        `The embedded database in ${config.dataDir} is in use by a running server ` +
          `(pid ${owner.pid}). Stop it first, or use PostgreSQL (DATABASE_URL) to share the database.`,
      );
    }
  }
  if (options.existing && !config.databaseUrl && !existsSync(join(config.dataDir, 'pglite'))) {
    throw new DomainError(
      'NOT_FOUND',
      `No catalog database in ${config.dataDir}: set MG_DATA_DIR to the server's data directory, or DATABASE_URL` +
        `${configured ? ` (the gateway at MG_URL cannot do this over HTTP)` : ''}.`,
    );
  }
  const { createContext } = await import('@media-gateway/gateway');
  const ctx = await createContext(config, noopLogger);
  return { kind: 'db', db: ctx.db, ctx };
}

/** Whether a gateway at `url` answers /healthz within half a second (a local one answers in a few ms). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

export async function closeBackend(backend: Backend): Promise<void> {
  if (backend.kind === 'db') await (await import('@media-gateway/gateway')).closeContext(backend.ctx);
}

/** GET a JSON API path; problem+json answers become DomainErrors with the server's code. */
export async function apiGet<T>(url: string, path: string, token?: string): Promise<T> {
  return apiRequest<T>(url, 'GET', path, undefined, token);
}

export async function apiRequest<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new DomainError('UPSTREAM_UNAVAILABLE', `Cannot reach the server at ${url}: ${(error as Error).message}`, {
      source: url,
    });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; scope?: unknown };
    const known = [
      'NOT_FOUND',
      'INVALID_INPUT',
      'CONFLICT',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'RATE_LIMITED',
      'UPSTREAM_UNAVAILABLE',
      'PAYLOAD_TOO_LARGE',
    ];
    const code = (known.includes(p.code ?? '') ? p.code : 'UPSTREAM_UNAVAILABLE') as ConstructorParameters<
      typeof DomainError
    >[0];
    throw new DomainError(code, `${p.detail ?? `HTTP ${res.status}`}${remedy(code, p)}`);
  }
  return data as T;
}

/** What to do about an answer the person can fix from the CLI: a scope the sign-in did not ask for, an ended sign-in. */
function remedy(code: string, p: { scope?: unknown }): string {
  if (code === 'FORBIDDEN' && typeof p.scope === 'string') {
    const scopes = new Set([
      'catalog:read',
      'watchlist:read',
      'watchlist:write',
      'devices',
      'recommendations',
      p.scope,
    ]);
    return ` Sign in again asking for it: media-gateway login --scope "${[...scopes].join(' ')}".`;
  }
  if (code === 'UNAUTHENTICATED') return ' Run "media-gateway login" to sign in.';
  return '';
}
