import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { AppContext } from './context.ts';

/** Paths with a per-caller budget: the REST API and MCP. Pages, auth forms and ARW have their own. */
const LIMITED = /^\/(api\/|mcp(\/|\?|$))/;

/**
 * Whether a request spends the budget: by the route the router matched, and by the decoded path. The raw URL alone
 * let `/%61pi/search` (served as /api/search) past it; the route alone would miss an unknown /api path, which the
 * web app's catch-all route answers.
 */
function limited(req: FastifyRequest): boolean {
  if (req.routeOptions.url && LIMITED.test(req.routeOptions.url)) return true;
  const raw = req.url.split('?')[0] ?? '';
  try {
    return LIMITED.test(decodeURIComponent(raw));
  } catch {
    return LIMITED.test(raw);
  }
}

/** A counter's key: a hash of the address or account, so Redis holds neither. */
const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/**
 * Per-caller request budgets on /api and /mcp (issue 14): a verified token's user, else the
 * client address (which honours MG_TRUSTED_PROXIES). With REDIS_URL the counters live in Redis,
 * so every replica spends one budget; when Redis fails, requests are let through rather than
 * refused (skipOnError): an outage must not lock everyone out. 429 with Retry-After and the IETF
 * RateLimit headers.
 */
export async function installApiRateLimit(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { user, anonymous } = ctx.config.apiRateLimit;
  if (user === 0 && anonymous === 0) return;
  const keyOf = new WeakMap<FastifyRequest, { key: string; max: number }>();
  const identify = async (req: FastifyRequest) => {
    let hit = keyOf.get(req);
    if (!hit) {
      const header = req.headers.authorization;
      const bearer = header && /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
      const claims = bearer ? await ctx.tokens.verifyAccessToken(bearer).catch(() => undefined) : undefined;
      // A bad token is answered 401 by the route; it is counted against the address meanwhile.
      // Keyed by a hash, so Redis holds no address or account id (docs/privacy.md).
      hit = claims
        ? { key: `user:${digest(claims.userId)}`, max: user }
        : { key: `ip:${digest(req.ip)}`, max: anonymous };
      keyOf.set(req, hit);
    }
    return hit;
  };
  let redis: Redis | undefined;
  if (ctx.config.redisUrl) {
    redis = new Redis(ctx.config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', (error) => ctx.logger.warn({ err: error }, 'api rate limit: Redis unavailable; not limiting'));
    ctx.onClose.push(() => void redis?.quit().catch(() => {}));
  }
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: async (req) => {
      const { max } = await identify(req);
      return max === 0 ? Number.MAX_SAFE_INTEGER : max;
    },
    keyGenerator: async (req) => (await identify(req)).key,
    allowList: (req) => !limited(req),
    enableDraftSpec: true,
    skipOnError: true,
    nameSpace: 'mg:api-rl:',
    ...(redis ? { redis } : {}),
    errorResponseBuilder: (_req, context) =>
      new DomainError('RATE_LIMITED', `Too many requests: at most ${context.max} per minute. Try again shortly.`, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
}
