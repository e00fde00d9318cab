import { type AuthServer, createAuthServer } from '@media-gateway/auth';
import type { AppContext } from '../context.ts';

const KEY = 'auth';

/**
 * The authorization server for this gateway, created once per context (the routes and
 * services.ts share it under `ctx.services.auth`). Feature variables are read from `ctx.config.env`:
 * MG_LOCAL_ACCOUNTS, MG_ADMIN_EMAIL/MG_ADMIN_PASSWORD, MG_OIDC_*, MG_AUTH_RATE_LIMIT_*,
 * MG_AUTH_REVOCATION_POLL_MS; REDIS_URL moves sessions, rate counters and revocation fan-out to Redis.
 */
export function authServer(ctx: AppContext): Promise<AuthServer> {
  const existing = ctx.services[KEY] as Promise<AuthServer> | undefined;
  if (existing) return existing;
  const created = build(ctx);
  ctx.services[KEY] = created;
  return created;
}

function positiveInt(raw: string | undefined, name: string, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}

async function build(ctx: AppContext): Promise<AuthServer> {
  const env = ctx.config.env;
  const issuer = ctx.config.publicUrl;
  const local = (env['MG_LOCAL_ACCOUNTS'] ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(local)) throw new Error(`MG_LOCAL_ACCOUNTS must be on or off, got "${local}"`);
  const oidcIssuer = env['MG_OIDC_ISSUER'];
  if (oidcIssuer && !env['MG_OIDC_CLIENT_ID']) throw new Error('MG_OIDC_ISSUER is set but MG_OIDC_CLIENT_ID is not');
  const limits = {
    login: positiveInt(env['MG_AUTH_RATE_LIMIT_LOGIN'], 'MG_AUTH_RATE_LIMIT_LOGIN'),
    token: positiveInt(env['MG_AUTH_RATE_LIMIT_TOKEN'], 'MG_AUTH_RATE_LIMIT_TOKEN'),
    userCode: positiveInt(env['MG_AUTH_RATE_LIMIT_USER_CODE'], 'MG_AUTH_RATE_LIMIT_USER_CODE'),
  };
  const server = await createAuthServer(ctx.db, ctx.tokens, {
    issuer,
    clock: ctx.clock,
    localAccounts: local === 'on',
    oidc: oidcIssuer
      ? {
          issuer: oidcIssuer,
          clientId: env['MG_OIDC_CLIENT_ID']!,
          clientSecret: env['MG_OIDC_CLIENT_SECRET'],
          // Plain http only for a provider on this machine (development, tests).
          allowHttp: /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(oidcIssuer),
        }
      : undefined,
    limits: Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
    // 0 turns polling off (only sensible with Redis pub/sub); tests use it to prove the pub/sub path.
    revocationRefreshMs: positiveInt(env['MG_AUTH_REVOCATION_POLL_MS'], 'MG_AUTH_REVOCATION_POLL_MS', 0),
    redis: ctx.config.redisUrl
      ? {
          url: ctx.config.redisUrl,
          onError: (err) =>
            ctx.logger.warn(
              { err: err.message },
              'auth: Redis error; rate limits fall back to this process, sessions answer 503 until it returns',
            ),
        }
      : undefined,
  });
  ctx.onClose.push(() => server.close());
  const adminEmail = env['MG_ADMIN_EMAIL'];
  const adminPassword = env['MG_ADMIN_PASSWORD'];
  if (adminEmail && adminPassword) {
    const admin = await server.users.bootstrapAdmin(adminEmail, adminPassword);
    if (admin)
      ctx.logger.info({ userId: admin.id }, `Created the first administrator (${adminEmail}) from MG_ADMIN_EMAIL.`);
  }
  return server;
}
