import type { Db } from '@media-gateway/db';
import { AttemptLimiter, type RateLimiter, RedisAttemptLimiter } from './attempt-limiter.ts';
import { createAuthorizationCodes } from './authorization-codes.ts';
import { createClientRegistry } from './client-registry.ts';
import { type Clock, systemClock } from './clock.ts';
import { createDeviceFlow } from './device-flow.ts';
import { createGrantService, DEFAULT_LIFETIMES, type GrantEvent, type GrantLifetimes } from './grant-service.ts';
import { connectRedis, type RedisLink } from './redis-link.ts';
import { createRedisSessionService } from './redis-session-store.ts';
import { RevocationList } from './revocation-list.ts';
import { randomToken } from './secrets.ts';
import { createSessionService, type SessionService } from './session-service.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type TokenService } from './token-service.ts';
import { createUpstreamOidc, type UpstreamOidcOptions } from './upstream-oidc.ts';
import { createUserService } from './user-service.ts';

export interface AuthServerOptions {
  issuer: string;
  /** Local accounts with passwords (MG_LOCAL_ACCOUNTS, default on for self-hosted installs). */
  localAccounts: boolean;
  oidc?: Omit<UpstreamOidcOptions, 'redirectUri'> | undefined;
  lifetimes?: Partial<GrantLifetimes>;
  /** Attempts per minute for sign-in, the token endpoint and user-code entry, per key. */
  limits?: Partial<Record<'login' | 'token' | 'userCode' | 'register', number>>;
  clock?: Clock;
  /** How often to pick up revocations made by other replicas from the database (ms); 0 disables the timer. */
  revocationRefreshMs?: number;
  /**
   * Redis (REDIS_URL): web sessions, rate counters shared by every replica, and revocations
   * published to other replicas at once (decisions 0034–0036). Without it: database sessions,
   * per-process counters, revocations by polling.
   */
  redis?: { url: string; onError?: (error: Error) => void } | undefined;
}

const REVOKED_CHANNEL = 'revoked';

/** A random value made once per database and kept in it: every replica on that database reads the same one. */
export async function serverSecret(db: Db, name: string): Promise<string> {
  await db.query('INSERT INTO auth_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomToken(32),
  ]);
  return (await db.query<{ value: string }>('SELECT value FROM auth_secrets WHERE name = $1', [name])).rows[0]!.value;
}

/**
 * This installation's name in a Redis it may share with others (another household's server, a test database):
 * replicas on one database share it, separate installations never see each other's keys or channels.
 */
export async function installationId(db: Db): Promise<string> {
  return (await serverSecret(db, 'redis_namespace')).slice(0, 16);
}

/** Composes the authorization server: clients, users, sessions, codes, device flow, grants. */
export async function createAuthServer(db: Db, tokens: TokenService, options: AuthServerOptions) {
  const clock = options.clock ?? systemClock();
  const lifetimes = { ...DEFAULT_LIFETIMES, ...options.lifetimes };
  const revocations = new RevocationList(db, ACCESS_TOKEN_TTL_SECONDS);
  await revocations.refresh();
  tokens.addRevocationCheck((claims) => claims.familyId !== undefined && revocations.has(claims.familyId));

  const listeners = new Set<(event: GrantEvent) => void>();
  const grants = createGrantService({
    db,
    tokens,
    clock,
    revocations,
    lifetimes,
    secret: await serverSecret(db, 'refresh_successor'),
    emit: (event) => {
      for (const l of listeners) l(event);
    },
  });
  let redis: RedisLink | undefined;
  if (options.redis) {
    // The namespace comes from a per-database secret: replicas of one install share it.
    redis = await connectRedis({
      url: options.redis.url,
      ns: `mg:auth:${await installationId(db)}:`,
      onError: options.redis.onError,
    });
    const link = redis;
    const channel = `${link.ns}${REVOKED_CHANNEL}`;
    revocations.setPublisher((familyIds) => {
      link
        .publish(channel, JSON.stringify({ families: familyIds }))
        .catch((error: Error) => options.redis?.onError?.(error));
    });
    await link.subscribe(
      channel,
      (message) => {
        try {
          const families = (JSON.parse(message) as { families?: unknown }).families;
          if (Array.isArray(families)) revocations.receive(families.filter((f): f is string => typeof f === 'string'));
        } catch {
          // Not ours or malformed: ignore; polling still catches every revocation.
        }
      },
      () => void revocations.refresh().catch(() => {}),
    );
  }
  const sessions: SessionService = redis ? createRedisSessionService(redis, clock) : createSessionService(db, clock);
  const users = createUserService(db, {
    // Password change and account deletion end every session and grant, on every device (B26).
    async onUserRevoked(userId, reason) {
      await sessions.revokeAll(userId);
      await grants.revokeUser(userId, reason);
    },
  });
  const clients = createClientRegistry(db);
  await clients.configureFirstParty(options.issuer);

  const limit = { login: 10, token: 120, userCode: 10, register: 20, ...options.limits };
  const limiter = (name: keyof typeof limit): RateLimiter =>
    redis
      ? new RedisAttemptLimiter(redis, name, clock, limit[name], 60, options.redis?.onError)
      : new AttemptLimiter(clock, limit[name], 60);
  const limiters = {
    login: limiter('login'),
    token: limiter('token'),
    userCode: limiter('userCode'),
    register: limiter('register'),
  };

  let timer: NodeJS.Timeout | undefined;
  const refreshMs = options.revocationRefreshMs ?? 5000;
  if (refreshMs > 0) {
    timer = setInterval(() => void revocations.refresh().catch(() => {}), refreshMs);
    timer.unref();
  }

  return {
    issuer: options.issuer,
    localAccounts: options.localAccounts,
    clock,
    tokens,
    clients,
    users,
    sessions,
    grants,
    codes: createAuthorizationCodes(db, clock, grants),
    devices: createDeviceFlow(db, clock, grants),
    upstream: options.oidc
      ? createUpstreamOidc(db, clock, { ...options.oidc, redirectUri: `${options.issuer}/auth/oidc/callback` })
      : undefined,
    limiters,
    /** Rotation and revocation events, for the sync hub to tell a person's other devices. */
    onGrantEvent(listener: (event: GrantEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Sign out everywhere: every web session and every token family of the person. */
    async signOutEverywhere(userId: string): Promise<void> {
      await sessions.revokeAll(userId);
      await grants.revokeUser(userId, 'signout_everywhere');
    },
    /** Where sessions, rate counters and cross-replica revocations live. */
    storage: redis ? ('redis' as const) : ('database' as const),
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      await redis?.close();
    },
  };
}

export type AuthServer = Awaited<ReturnType<typeof createAuthServer>>;
