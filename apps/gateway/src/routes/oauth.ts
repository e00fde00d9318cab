import {
  audit,
  type AuthServer,
  CODE_CHALLENGE_PATTERN,
  DEFAULT_SCOPES,
  DEVICE_GRANT,
  isOAuthError,
  isScope,
  OAuthError,
  type OAuthClient,
  redirectUriMatches,
  isNativeClient,
  SCOPES,
  type Scope,
} from '@media-gateway/auth';
import { hasControlCharacter } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consentPage, messagePage } from '../auth/pages.ts';
import { checkCsrf, clientIp, currentSession, ensureCookies } from '../auth/web-session.ts';
import type { AppContext } from '../context.ts';

type Params = Record<string, string | undefined>;

/** OAuth parameters arrive form-encoded (or as a query); repeated parameters are refused (RFC 6749 §3.1). */
function params(raw: unknown): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw new OAuthError('invalid_request', `Parameter "${k}" was sent more than once.`);
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Token responses must never be cached (RFC 6749 §5.1). */
function sendOAuth(reply: FastifyReply, status: number, body: unknown) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json')
    .send(body);
}

function oauthFailure(reply: FastifyReply, error: unknown) {
  if (isOAuthError(error)) {
    if (error.status === 401) reply.header('www-authenticate', 'Basic realm="media-gateway"');
    return sendOAuth(reply, error.status, error.toJSON());
  }
  throw error;
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded; a malformed escape is the client's error. */
function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Client credentials: HTTP Basic (RFC 6749 §2.3.1, form-urlencoded parts) or client_id/client_secret in the body. */
function clientCredentials(req: FastifyRequest, p: Params): { id: string | undefined; secret: string | undefined } {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
    const id = formDecode(decoded.slice(0, i));
    const secret = formDecode(decoded.slice(i + 1));
    if (id === undefined || secret === undefined || hasControlCharacter(id) || hasControlCharacter(secret))
      throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
    if (p['client_id'] && p['client_id'] !== id)
      throw new OAuthError('invalid_request', 'client_id differs from the authenticated client.');
    return { id, secret };
  }
  return { id: p['client_id'], secret: p['client_secret'] };
}

function requestedScopes(raw: string | undefined, client: OAuthClient): Scope[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_SCOPES.filter((s) => client.scopes.includes(s));
  const asked = [...new Set(raw.split(/\s+/).filter(Boolean))];
  const bad = asked.filter((s) => !isScope(s) || !client.scopes.includes(s));
  if (bad.length) throw new OAuthError('invalid_scope', `Scope not available to this client: ${bad.join(', ')}.`);
  return asked as Scope[];
}

function rateLimited(reply: FastifyReply, wait: number) {
  reply.header('retry-after', String(wait));
  return sendOAuth(reply, 429, { error: 'slow_down', error_description: `Too many requests; retry in ${wait} s.` });
}

export async function oauthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await ensureCookies(app);
  const auth = await ctx.services.auth();
  const issuer = ctx.config.publicUrl;

  app.get('/.well-known/oauth-authorization-server', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    device_authorization_endpoint: `${issuer}/oauth/device_authorization`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    registration_endpoint: `${issuer}/oauth/register`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_GRANT],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
  }));

  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return ctx.tokens.jwks();
  });

  // RFC 8628 §3.1: the device authorization request is a POST.
  app.get('/oauth/device_authorization', async (_req, reply) =>
    reply
      .status(405)
      .header('allow', 'POST')
      .send({ error: 'invalid_request', error_description: 'Use POST with a form-encoded body.' }),
  );

  app.post('/oauth/device_authorization', async (req, reply) => {
    try {
      const p = params(req.body);
      const client = await auth.clients.authenticate(clientCredentials(req, p).id, clientCredentials(req, p).secret);
      if (!client.grantTypes.includes(DEVICE_GRANT))
        throw new OAuthError('unauthorized_client', 'This client may not use the device grant.');
      const scopes = requestedScopes(p['scope'], client);
      return sendOAuth(
        reply,
        200,
        await auth.devices.start({ clientId: client.clientId, scopes, verificationUri: `${issuer}/device` }),
      );
    } catch (error) {
      return oauthFailure(reply, error);
    }
  });

  app.post('/oauth/token', async (req, reply) => {
    try {
      const p = params(req.body);
      const creds = clientCredentials(req, p);
      const wait = await auth.limiters.token.hit([`ip:${clientIp(req)}`, `client:${creds.id ?? '-'}`]);
      if (wait) return rateLimited(reply, wait);
      const client = await auth.clients.authenticate(creds.id, creds.secret);
      const grant = p['grant_type'];
      if (!grant) throw new OAuthError('invalid_request', 'grant_type is required.');
      if (!client.grantTypes.includes(grant)) {
        const known = ['authorization_code', 'refresh_token', DEVICE_GRANT].includes(grant);
        throw new OAuthError(
          known ? 'unauthorized_client' : 'unsupported_grant_type',
          `Grant type "${grant}" is not available to this client.`,
        );
      }
      const ip = clientIp(req);
      let body: unknown;
      if (grant === 'authorization_code') {
        if (!p['code']) throw new OAuthError('invalid_request', 'code is required.');
        body = await auth.codes.redeem({
          code: p['code'],
          clientId: client.clientId,
          redirectUri: p['redirect_uri'],
          codeVerifier: p['code_verifier'],
          ip,
        });
      } else if (grant === 'refresh_token') {
        if (!p['refresh_token']) throw new OAuthError('invalid_request', 'refresh_token is required.');
        body = await auth.grants.refresh({
          refreshToken: p['refresh_token'],
          clientId: client.clientId,
          scope: p['scope'],
          ip,
        });
      } else {
        if (!p['device_code']) throw new OAuthError('invalid_request', 'device_code is required.');
        body = await auth.devices.poll({ deviceCode: p['device_code'], clientId: client.clientId, ip });
      }
      return sendOAuth(reply, 200, body);
    } catch (error) {
      return oauthFailure(reply, error);
    }
  });

  // RFC 7009: 200 for unknown or already-revoked tokens, so the endpoint reveals nothing.
  app.post('/oauth/revoke', async (req, reply) => {
    try {
      const p = params(req.body);
      const client = await auth.clients.authenticate(clientCredentials(req, p).id, clientCredentials(req, p).secret);
      const token = p['token'];
      if (!token) throw new OAuthError('invalid_request', 'token is required.');
      if (token.startsWith('mgr_')) await auth.grants.revokeRefreshToken(token, client.clientId, clientIp(req));
      else {
        const claims = await ctx.tokens.verifyAccessToken(token).catch(() => undefined);
        if (claims?.familyId && claims.clientId === client.clientId)
          await auth.grants.revokeFamily(claims.familyId, 'revoked');
      }
      return sendOAuth(reply, 200, {});
    } catch (error) {
      return oauthFailure(reply, error);
    }
  });

  app.post('/oauth/register', async (req, reply) => {
    try {
      const wait = await auth.limiters.register.hit([`ip:${clientIp(req)}`]);
      if (wait) return rateLimited(reply, wait);
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
        throw new OAuthError('invalid_client_metadata', 'Send the client metadata as a JSON object.');
      const registered = await auth.clients.register(req.body as Record<string, unknown>);
      await audit(ctx.db, 'client.registered', {
        clientId: String(registered['client_id']),
        ip: clientIp(req),
        details: { name: registered['client_name'] },
      });
      return sendOAuth(reply, 201, registered);
    } catch (error) {
      return oauthFailure(reply, error);
    }
  });

  app.get('/oauth/authorize', async (req, reply) => authorize(ctx, auth, req, reply, params(req.query), false));
  // The consent form posts back here with the same parameters plus the decision.
  app.post('/oauth/authorize', async (req, reply) => authorize(ctx, auth, req, reply, params(req.body), true));
}

/** RFC 6749 §4.1.1 with the OAuth 2.1 profile: S256 PKCE required for public clients. */
async function authorize(
  ctx: AppContext,
  auth: AuthServer,
  req: FastifyRequest,
  reply: FastifyReply,
  p: Params,
  isDecision: boolean,
) {
  const client = p['client_id'] ? await auth.clients.get(p['client_id']) : undefined;
  // Without a known client and a registered redirect_uri we must not redirect (RFC 6749 §4.1.2.1).
  if (!client)
    return reply
      .status(400)
      .type('text/html')
      .send(messagePage('Cannot sign in', 'The application that sent you here is unknown (client_id).'));
  const redirectUri = p['redirect_uri'];
  if (!redirectUri || !redirectUriMatches(client.redirectUris, redirectUri)) {
    return reply
      .status(400)
      .type('text/html')
      .send(messagePage('Cannot sign in', 'The application sent an unregistered redirect address (redirect_uri).'));
  }
  const back = (query: Record<string, string | undefined>) => {
    const url = new URL(redirectUri);
    for (const [k, v] of Object.entries({ ...query, state: p['state'], iss: auth.issuer }))
      if (v !== undefined) url.searchParams.set(k, v);
    return reply.redirect(url.href, 303);
  };
  const fail = (error: string, description: string) => back({ error, error_description: description });

  if (p['response_type'] !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!client.grantTypes.includes('authorization_code'))
    return fail('unauthorized_client', 'This client may not use the authorization code grant.');
  const challenge = p['code_challenge'];
  const method = p['code_challenge_method'];
  if (!challenge && !client.confidential) return fail('invalid_request', 'code_challenge is required (PKCE, S256).');
  if (challenge || method) {
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    if (!challenge || !CODE_CHALLENGE_PATTERN.test(challenge))
      return fail('invalid_request', 'code_challenge must be 43 base64url characters (an S256 hash).');
  }
  let scopes: Scope[];
  try {
    scopes = requestedScopes(p['scope'], client);
  } catch (error) {
    return fail('invalid_scope', (error as Error).message);
  }

  const session = await currentSession(auth, req);
  if (!session) {
    const returnTo = `/oauth/authorize?${new URLSearchParams(
      Object.entries(p).filter(([k, v]) => v !== undefined && k !== 'csrf' && k !== 'decision') as [string, string][],
    )}`;
    return reply.redirect(`/auth/login?return_to=${encodeURIComponent(returnTo)}`, 303);
  }
  const user = await auth.users.get(session.userId);
  if (!user) return reply.redirect('/auth/login', 303);
  // The admin scope is granted only to administrators; others get the rest (RFC 6749 §3.3 allows narrowing).
  if (!user.isAdmin) scopes = scopes.filter((s) => s !== 'admin');

  // A native client's code goes to whatever listens on the loopback port it named, which we cannot
  // verify (RFC 8252 §8.6), so even a first-party native client gets the consent page.
  if (!client.firstParty || isNativeClient(client)) {
    if (!isDecision) {
      const { csrf: _c, decision: _d, ...rest } = p;
      return reply
        .type('text/html')
        .header('cache-control', 'no-store')
        .send(consentPage({ clientName: client.name, scopes, csrf: session.csrfToken, params: rest }));
    }
    checkCsrf(session.csrfToken, req.body);
    if (p['decision'] !== 'approve') return fail('access_denied', 'You declined the request.');
  }
  const code = await auth.codes.create({
    clientId: client.clientId,
    userId: user.id,
    redirectUri,
    scopes,
    codeChallenge: challenge ?? null,
  });
  ctx.logger.debug({ clientId: client.clientId, userId: user.id }, 'authorization code issued');
  return back({ code });
}
