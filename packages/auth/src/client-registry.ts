import type { Db } from '@media-gateway/db';
import { OAuthError } from './oauth-error.ts';
import { isScope, type Scope } from './scopes.ts';
import { hashSecret, randomToken, safeEqual } from './secrets.ts';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANTS = ['authorization_code', 'refresh_token', DEVICE_GRANT] as const;
/** Scopes a client gets when it asks for none: everything but admin. */
export const DEFAULT_SCOPES: Scope[] = [
  'catalog:read',
  'watchlist:read',
  'watchlist:write',
  'devices',
  'recommendations',
];

export interface OAuthClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  scopes: Scope[];
  firstParty: boolean;
  /** Confidential clients have a secret and must authenticate at the token endpoint. */
  confidential: boolean;
}

interface ClientRow {
  client_id: string;
  client_secret_hash: string | null;
  name: string;
  redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  first_party: boolean;
}

const toClient = (r: ClientRow): OAuthClient => ({
  clientId: r.client_id,
  name: r.name,
  redirectUris: r.redirect_uris,
  grantTypes: r.grant_types,
  scopes: r.scopes.filter(isScope),
  firstParty: r.first_party,
  confidential: r.client_secret_hash !== null,
});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/**
 * A native app (RFC 8252): every redirect it registered is a loopback IP address over http with no
 * port, because it listens on an ephemeral port chosen at run time. Web clients never qualify.
 */
export function isNativeClient(client: Pick<OAuthClient, 'redirectUris'>): boolean {
  return (
    client.redirectUris.length > 0 &&
    client.redirectUris.every((r) => {
      try {
        const u = new URL(r);
        return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname) && u.port === '';
      } catch {
        return false;
      }
    })
  );
}

/**
 * Exact string match (RFC 9700 §2.1), except that a native client's loopback redirect may name
 * any port (RFC 8252 §7.3), on exactly the host and path it registered. For any other client
 * (mg-web, registered MCP clients with https or fixed-port redirects) the match is exact.
 */
export function redirectUriMatches(registered: readonly string[], candidate: string): boolean {
  if (registered.includes(candidate)) return true;
  if (!isNativeClient({ redirectUris: [...registered] })) return false;
  let c: URL;
  try {
    c = new URL(candidate);
  } catch {
    return false;
  }
  if (c.protocol !== 'http:' || !LOOPBACK_HOSTS.has(c.hostname)) return false;
  return registered.some((r) => {
    try {
      const u = new URL(r);
      return (
        u.protocol === 'http:' &&
        u.hostname === c.hostname &&
        u.pathname === c.pathname &&
        u.search === c.search &&
        c.hash === '' &&
        u.username === '' &&
        c.username === ''
      );
    } catch {
      return false;
    }
  });
}

export function createClientRegistry(db: Db) {
  async function row(clientId: string): Promise<ClientRow | undefined> {
    return (await db.query<ClientRow>('SELECT * FROM oauth_clients WHERE client_id = $1', [clientId])).rows[0];
  }
  return {
    async get(clientId: string): Promise<OAuthClient | undefined> {
      const r = await row(clientId);
      return r ? toClient(r) : undefined;
    },

    /** Token-endpoint client authentication (RFC 6749 §2.3). A bad client → 401 invalid_client. */
    async authenticate(clientId: string | undefined, secret: string | undefined): Promise<OAuthClient> {
      if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.');
      const r = await row(clientId);
      if (!r) throw new OAuthError('invalid_client', 'Unknown client.');
      if (r.client_secret_hash !== null) {
        if (!secret || !safeEqual(hashSecret(secret), r.client_secret_hash)) {
          throw new OAuthError('invalid_client', 'Client authentication failed.');
        }
      } else if (secret) {
        throw new OAuthError('invalid_client', 'This is a public client; it has no secret.');
      }
      return toClient(r);
    },

    /** Sets the first-party redirect URIs that depend on the public URL (done at start). */
    async configureFirstParty(publicUrl: string): Promise<void> {
      await db.query(`UPDATE oauth_clients SET redirect_uris = $1 WHERE client_id = 'mg-web'`, [
        [`${publicUrl}/app/callback`],
      ]);
      await db.query(`UPDATE oauth_clients SET redirect_uris = $1 WHERE client_id = 'mg-cli'`, [
        ['http://127.0.0.1/callback'],
      ]);
    },

    /** RFC 7591 dynamic registration, for MCP clients. Returns the secret once, never stored in clear. */
    async register(meta: Record<string, unknown>): Promise<Record<string, unknown>> {
      const redirectUris = meta['redirect_uris'];
      if (
        !Array.isArray(redirectUris) ||
        redirectUris.length === 0 ||
        redirectUris.length > 10 ||
        !redirectUris.every((u) => typeof u === 'string')
      ) {
        throw new OAuthError('invalid_redirect_uri', 'redirect_uris must be a non-empty array of up to 10 URLs.');
      }
      for (const uri of redirectUris as string[]) {
        let u: URL;
        try {
          u = new URL(uri);
        } catch {
          throw new OAuthError('invalid_redirect_uri', `"${uri}" is not a URL.`);
        }
        const loopback = u.protocol === 'http:' && (LOOPBACK_HOSTS.has(u.hostname) || u.hostname === 'localhost');
        if (u.hash || (u.protocol !== 'https:' && !loopback)) {
          throw new OAuthError(
            'invalid_redirect_uri',
            `"${uri}" must be https, or http on a loopback address, without a fragment.`,
          );
        }
      }
      const method = meta['token_endpoint_auth_method'] ?? 'none';
      if (!['none', 'client_secret_basic', 'client_secret_post'].includes(method as string)) {
        throw new OAuthError(
          'invalid_client_metadata',
          'token_endpoint_auth_method must be none, client_secret_basic or client_secret_post.',
        );
      }
      const grantTypes = (meta['grant_types'] ?? ['authorization_code', 'refresh_token']) as unknown;
      if (!Array.isArray(grantTypes) || !grantTypes.every((g) => (GRANTS as readonly string[]).includes(g))) {
        throw new OAuthError('invalid_client_metadata', `grant_types may contain only ${GRANTS.join(', ')}.`);
      }
      const name = meta['client_name'] ?? 'Unnamed client';
      if (typeof name !== 'string' || name.length > 100)
        throw new OAuthError('invalid_client_metadata', 'client_name must be a string of up to 100 characters.');
      const scopeRaw = meta['scope'];
      if (scopeRaw !== undefined && typeof scopeRaw !== 'string')
        throw new OAuthError('invalid_client_metadata', 'scope must be a string.');
      const requested = scopeRaw ? scopeRaw.split(/\s+/).filter(Boolean) : DEFAULT_SCOPES;
      const bad = requested.filter((s) => !isScope(s) || s === 'admin');
      if (bad.length)
        throw new OAuthError(
          'invalid_client_metadata',
          `Scopes not available to registered clients: ${bad.join(', ')}.`,
        );

      const clientId = `mcp_${randomToken(12)}`;
      const secret = method === 'none' ? undefined : randomToken(32);
      await db.query(
        `INSERT INTO oauth_clients (client_id, client_secret_hash, name, redirect_uris, grant_types, scopes,
           first_party)
         VALUES ($1, $2, $3, $4, $5, $6, false)`,
        [clientId, secret ? hashSecret(secret) : null, name, redirectUris, grantTypes, requested],
      );
      return {
        client_id: clientId,
        ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
        client_id_issued_at: Math.floor(Date.now() / 1000),
        client_name: name,
        redirect_uris: redirectUris,
        grant_types: grantTypes,
        response_types: ['code'],
        token_endpoint_auth_method: method,
        scope: requested.join(' '),
      };
    },
  };
}

export type ClientRegistry = ReturnType<typeof createClientRegistry>;
