import type { Scope } from '@media-gateway/auth';
import { createTokenService } from '@media-gateway/auth';
import { ingest, sampleSource } from '@media-gateway/catalog';
import { type BackendName, freshDb } from '@media-gateway/testkit';
import { type Clock, noopLogger } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { type GatewayConfig, loadConfig } from '../src/config.ts';
import { contextFor } from '../src/compose.ts';
import type { AppContext } from '../src/context.ts';
import type { FetchLike } from '../src/images/image-fetch.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  /** Mints an access token for a user with the given scopes (as the authorization server would). */
  token(userId: string, scopes: Scope[]): Promise<string>;
  close(): Promise<void>;
}

/** The config every test gateway starts from (quiet logs, no per-client budgets), plus `env`. */
export function testConfig(env: Record<string, string> = {}): GatewayConfig {
  // Tests drive many requests from one address in a second; the budgets have tests of their own.
  return loadConfig({
    MG_PUBLIC_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
    ...env,
  });
}

/**
 * A gateway on a fresh database (PGlite, or a PostgreSQL schema), optionally with the sample
 * catalog loaded. Used by gateway integration tests with `app.inject()`.
 */
export async function createTestApp(
  options: {
    backend?: BackendName;
    sample?: boolean;
    env?: Record<string, string>;
    clock?: Clock;
    /** How the image proxy reaches image hosts (tests point the real hosts at a local fake). */
    fetch?: FetchLike;
    /** For the tests of the 500 answer itself. */
    allowInternalErrors?: boolean;
  } = {},
): Promise<TestApp> {
  const db = await freshDb(options.backend ?? 'pglite');
  if (options.sample)
    await ingest({
      db,
      source: sampleSource(),
    });
  const config = testConfig(options.env);
  const tokens = await createTokenService(db, {
    issuer: config.publicUrl,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const ctx = contextFor({
    config,
    db,
    logger: noopLogger,
    tokens,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const app = await buildApp(ctx);
  // Logs are silent in tests; a 5xx is a bug, so its cause goes to stderr where a failing run shows it.
  const failures = new WeakMap<object, unknown>();
  app.addHook('onError', async (req, _reply, error) => {
    failures.set(req, error);
  });
  // A 500 fails the suite at close even when the test's own assertions passed (one was once hidden
  // behind a correct 403 the client had already received).
  const internal: string[] = [];
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode < 500) return;
    console.error(`[test-app] ${req.method} ${req.url.slice(0, 120)} → ${reply.statusCode}:`, failures.get(req));
    if (reply.statusCode === 500) internal.push(`${req.method} ${req.url.slice(0, 120)}`);
  });
  return {
    app,
    ctx,
    token: async (userId, scopes) => (await tokens.issueAccessToken({ userId, clientId: 'mg-web', scopes })).token,
    close: async () => {
      await app.close();
      if (internal.length > 0 && !options.allowInternalErrors)
        throw new Error(`the gateway answered 500 to: ${internal.join('; ')} (its cause is printed above)`);
    },
  };
}
