import type { AccessTokenClaims } from '@media-gateway/auth';
import { toolByName } from '@media-gateway/mcp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { problem } from '../problem.ts';
import { mcpResourceMetadataUrl } from './well-known-resource.ts';

/**
 * Hostnames /mcp answers for (DNS-rebinding protection): the public URL's host, loopback, and
 * any listed in MG_ALLOWED_HOSTS (comma-separated) for deployments behind other names.
 * Port-agnostic, like the SDK's own hostHeaderValidation middleware.
 */
export function allowedHostnames(ctx: AppContext): Set<string> {
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', new URL(ctx.config.publicUrl).hostname]);
  for (const h of ctx.config.allowedHosts) hosts.add(h.toLowerCase());
  return hosts;
}

function hostnameOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** 403 unless Host (and Origin, when a browser sends one) name an allowed host. */
export function checkHost(allowed: Set<string>, req: FastifyRequest, reply: FastifyReply): boolean {
  const host = req.headers.host ? hostnameOf(req.headers.host) : undefined;
  const origin = req.headers.origin;
  const originHost = origin && origin !== 'null' ? hostnameOf(origin) : undefined;
  const bad =
    !host || !allowed.has(host)
      ? `Host "${req.headers.host ?? ''}"`
      : origin && (!originHost || !allowed.has(originHost))
        ? `Origin "${origin}"`
        : undefined;
  if (!bad) return true;
  void reply
    .status(403)
    .type('application/problem+json')
    .send(
      problem(
        'FORBIDDEN',
        403,
        `${bad} is not allowed for /mcp (DNS-rebinding protection). Add the host to MG_ALLOWED_HOSTS if it is yours.`,
        { reason: 'host_not_allowed' },
      ),
    );
  return false;
}

function challenge(
  ctx: AppContext,
  reply: FastifyReply,
  status: 401 | 403,
  params: Record<string, string>,
  detail: string,
  code: string,
): void {
  const attrs = Object.entries({ resource_metadata: mcpResourceMetadataUrl(ctx.config.publicUrl), ...params })
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  void reply
    .status(status)
    .header('www-authenticate', `Bearer ${attrs}`)
    .type('application/problem+json')
    .send(problem(code, status, detail));
}

/** The scopes the JSON-RPC message(s) need: tools/call of a user tool needs that tool's scope. */
export function scopesNeeded(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const scopes = new Set<string>();
  for (const m of messages) {
    const msg = m as { method?: unknown; params?: { name?: unknown } } | null;
    if (msg?.method !== 'tools/call' || typeof msg.params?.name !== 'string') continue;
    const scope = toolByName(msg.params.name)?.scope;
    if (scope) scopes.add(scope);
  }
  return [...scopes];
}

/**
 * Authorization for /mcp per the MCP spec: a bad token is a 401 with `WWW-Authenticate` pointing at
 * the protected resource metadata; a user tool called without a token is a 401 naming its scope,
 * and with a token lacking the scope a 403 `insufficient_scope` (step-up). Catalog tools, listing
 * and initialisation work anonymously. Returns the verified claims, null (anonymous), or false
 * when the reply has been sent.
 */
export async function authorizeMcp(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<AccessTokenClaims | null | false> {
  const header = req.headers.authorization;
  let claims: AccessTokenClaims | null = null;
  if (header) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    try {
      if (!match?.[1]) throw new Error('malformed');
      claims = await ctx.tokens.verifyAccessToken(match[1]);
    } catch {
      challenge(
        ctx,
        reply,
        401,
        { error: 'invalid_token' },
        'The access token is malformed, expired or revoked. Sign in again.',
        'UNAUTHENTICATED',
      );
      return false;
    }
  }
  const needed = req.method === 'POST' ? scopesNeeded(req.body) : [];
  if (needed.length && !claims) {
    challenge(
      ctx,
      reply,
      401,
      { scope: needed.join(' ') },
      `Sign in first: this tool needs the "${needed.join(' ')}" scope.`,
      'UNAUTHENTICATED',
    );
    return false;
  }
  const missing = needed.filter((s) => !claims?.scopes.includes(s as never));
  if (missing.length) {
    challenge(
      ctx,
      reply,
      403,
      { error: 'insufficient_scope', scope: needed.join(' ') },
      `This token lacks the "${missing.join(' ')}" scope.`,
      'FORBIDDEN',
    );
    return false;
  }
  return claims;
}
