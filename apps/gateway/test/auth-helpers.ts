import { createHash, randomBytes } from 'node:crypto';
import { type AuthServer, createTokenService, type Scope } from '@media-gateway/auth';
import { noopLogger } from '@media-gateway/domain';
import { type BackendName, freshDb } from '@media-gateway/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/compose.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/** Helpers for the auth tests: a gateway whose auth clock the test controls, and browser steps. */
export interface AuthTestApp extends TestApp {
  auth: AuthServer;
  /** Moves the auth server's clock forward. */
  advance(seconds: number): void;
}

export async function createAuthTestApp(backend: BackendName, env: Record<string, string> = {}): Promise<AuthTestApp> {
  const t = await createTestApp({
    backend,
    env: {
      MG_AUTH_RATE_LIMIT_TOKEN: '100000',
      MG_AUTH_RATE_LIMIT_LOGIN: '1000',
      MG_AUTH_RATE_LIMIT_USER_CODE: '1000',
      ...env,
    },
  });
  const auth = await t.ctx.services.auth();
  let offset = 0;
  auth.clock.now = () => Date.now() + offset;
  return {
    ...t,
    auth,
    advance: (s) => {
      offset += s * 1000;
    },
  };
}

/** A token of a client registered for an agent (not one of our own apps), for the person, with `scopes`. */
export async function agentToken(
  t: Pick<AuthTestApp, 'app' | 'ctx'>,
  userId: string,
  scopes: Scope[],
): Promise<string> {
  const reg = await t.app.inject({
    method: 'POST',
    url: '/oauth/register',
    payload: { client_name: 'Some agent', redirect_uris: ['https://agent.example/cb'] },
  });
  if (reg.statusCode !== 201) throw new Error(`registering an agent failed: ${reg.body}`);
  return (await t.ctx.tokens.issueAccessToken({ userId, clientId: reg.json().client_id, scopes })).token;
}

export const form = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter(([, v]) => v !== undefined) as [string, string][]).toString();

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Cookie header value from a response's Set-Cookie headers merged into an existing jar. */
export function cookies(res: LightMyRequestResponse, jar = ''): string {
  const map = new Map(
    jar
      .split('; ')
      .filter(Boolean)
      .map((c) => c.split('=') as [string, string]),
  );
  for (const c of res.cookies) {
    if (c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0)) map.delete(c.name);
    else map.set(c.name, c.value);
  }
  return [...map].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function csrfIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no csrf field in page: ${html.slice(0, 300)}`);
  return m[1];
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/auth/login' });
  let jar = cookies(page);
  const res = await app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { ...FORM, cookie: jar },
    payload: form({ email, password, csrf: csrfIn(page.body), return_to: '/auth/account' }),
  });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  jar = cookies(res, jar);
  return jar;
}

let userSeq = 0;
export async function newUser(t: AuthTestApp, options: { admin?: boolean } = {}) {
  const email = `person${++userSeq}-${randomBytes(3).toString('hex')}@example.test`;
  const password = 'correct horse battery';
  const user = await t.auth.users.createLocalUser({ email, password, isAdmin: options.admin ?? false });
  return { user, email, password, jar: await signIn(t.app, email, password) };
}

export function pkce(verifier = randomBytes(32).toString('base64url')) {
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const WEB_REDIRECT = 'http://localhost:3000/app/callback';

/** GET /oauth/authorize as a signed-in browser; returns the redirect Location as a URL. */
export async function authorize(
  app: FastifyInstance,
  jar: string,
  query: Record<string, string | undefined>,
): Promise<{ res: LightMyRequestResponse; location?: URL }> {
  const res = await app.inject({ method: 'GET', url: `/oauth/authorize?${form(query)}`, headers: { cookie: jar } });
  const loc = res.headers.location;
  return { res, ...(typeof loc === 'string' ? { location: new URL(loc, 'http://localhost:3000') } : {}) };
}

export async function token(
  app: FastifyInstance,
  fields: Record<string, string | undefined>,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { ...FORM, ...headers },
    payload: form(fields),
  });
  return { res, status: res.statusCode, body: res.json() as Record<string, string | number> };
}

/** Code + PKCE sign-in on the web client; returns the token response body. */
export async function webTokens(t: AuthTestApp, jar: string, scope?: string) {
  const { verifier, challenge } = pkce();
  const { location } = await authorize(t.app, jar, {
    response_type: 'code',
    client_id: 'mg-web',
    redirect_uri: WEB_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's1',
    scope,
  });
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location?.href}`);
  const r = await token(t.app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: WEB_REDIRECT,
    client_id: 'mg-web',
    code_verifier: verifier,
  });
  if (r.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(r.body)}`);
  return r.body as { access_token: string; refresh_token: string; scope: string; expires_in: number };
}

export async function refresh(t: AuthTestApp, refreshToken: string, clientId = 'mg-web', scope?: string) {
  return token(t.app, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, scope });
}

export async function userinfo(app: FastifyInstance, accessToken: string) {
  return app.inject({ method: 'GET', url: '/auth/userinfo', headers: { authorization: `Bearer ${accessToken}` } });
}

export async function startDevice(
  app: FastifyInstance,
  fields: Record<string, string | undefined> = { client_id: 'mg-cli' },
  headers: Record<string, string> = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/device_authorization',
    headers: { ...FORM, ...headers },
    payload: form(fields),
  });
  return {
    res,
    body: res.json() as {
      device_code: string;
      user_code: string;
      verification_uri: string;
      verification_uri_complete: string;
      expires_in: number;
      interval: number;
    },
  };
}

/** The signed-in person enters the code and clicks Approve (or Deny). */
export async function decideDevice(app: FastifyInstance, jar: string, userCode: string, decision: 'approve' | 'deny') {
  const page = await app.inject({
    method: 'GET',
    url: `/device?user_code=${encodeURIComponent(userCode)}`,
    headers: { cookie: jar },
  });
  if (page.statusCode !== 200) throw new Error(`device page: ${page.statusCode} ${page.body.slice(0, 200)}`);
  return app.inject({
    method: 'POST',
    url: '/device/decision',
    headers: { ...FORM, cookie: jar },
    payload: form({ csrf: csrfIn(page.body), user_code: userCode, decision }),
  });
}

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface AuthReplicas {
  /** Two gateways on one database (and one Redis when REDIS_URL is in `env`), like two replicas. */
  a: AuthTestApp;
  b: AuthTestApp;
  /** Moves both replicas' auth clocks. */
  advance(seconds: number): void;
  /** Starts both clocks at the beginning of a fresh 60 s rate-limit window (aligned windows in Redis). */
  alignToWindowStart(): void;
  close(): Promise<void>;
}

export async function createAuthReplicas(backend: BackendName, env: Record<string, string>): Promise<AuthReplicas> {
  const db = await freshDb(backend);
  const config = loadConfig({
    MG_PUBLIC_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
    MG_AUTH_RATE_LIMIT_TOKEN: '100000',
    MG_AUTH_RATE_LIMIT_LOGIN: '1000',
    MG_AUTH_RATE_LIMIT_USER_CODE: '1000',
    ...env,
  });
  let offset = 0;
  async function replica(): Promise<AuthTestApp> {
    const tokens = await createTokenService(db, { issuer: config.publicUrl });
    // The database is closed once, by `close()` below, after both apps.
    const ctx = contextFor({ config, db, logger: noopLogger, tokens, closeDb: false });
    const app = await buildApp(ctx);
    const auth = await ctx.services.auth();
    auth.clock.now = () => Date.now() + offset;
    return {
      app,
      ctx,
      auth,
      token: async (userId, scopes) => (await tokens.issueAccessToken({ userId, clientId: 'mg-web', scopes })).token,
      close: () => app.close(),
      advance: (s) => {
        offset += s * 1000;
      },
    };
  }
  const a = await replica();
  const b = await replica();
  return {
    a,
    b,
    advance: (s) => {
      offset += s * 1000;
    },
    alignToWindowStart: () => {
      const now = Date.now() + offset;
      offset += Math.ceil(now / 60_000) * 60_000 - now + 50;
    },
    close: async () => {
      await a.close();
      await b.close();
      await db.close();
    },
  };
}

/** Posts a form of the account page (sign out everywhere, password, delete) with the page's CSRF token. */
export async function accountForm(
  app: FastifyInstance,
  jar: string,
  path: string,
  fields: Record<string, string> = {},
) {
  const page = await app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: jar } });
  return app.inject({
    method: 'POST',
    url: path,
    headers: { ...FORM, cookie: jar },
    payload: form({ csrf: csrfIn(page.body), ...fields }),
  });
}
