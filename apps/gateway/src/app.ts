import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import { isDatabaseUnavailable } from '@media-gateway/db';
import { isDomainError } from '@media-gateway/domain';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from './context.ts';
import { installApiRateLimit } from './api-rate-limit.ts';
import { installEdgeHygiene } from './edge-hygiene.ts';
import { closeContext } from './compose.ts';
import { installHttpCaching } from './http-cache.ts';
import { installMetrics } from './metrics.ts';
import { trackRouteMethods } from './method-not-allowed.ts';
import { installRequestTracing } from './tracing.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { problem, STATUS_BY_CODE } from './problem.ts';
import { ROUTE_MODULES } from './routes/index.ts';

/** PostgreSQL errors (SQLSTATE) caused by a value in the request: a 4xx, never a 500. */
const DB_CLIENT_ERRORS: Record<string, { code: 'INVALID_INPUT' | 'CONFLICT'; detail: string }> = {
  '22021': { code: 'INVALID_INPUT', detail: 'The request holds characters that cannot be stored.' },
  '22P05': { code: 'INVALID_INPUT', detail: 'The request holds characters that cannot be stored.' },
  '22001': { code: 'INVALID_INPUT', detail: 'A value in the request is too long.' },
  '22003': { code: 'INVALID_INPUT', detail: 'A number in the request is out of range.' },
  '22007': { code: 'INVALID_INPUT', detail: 'A date or time in the request is malformed.' },
  '22008': { code: 'INVALID_INPUT', detail: 'A date or time in the request is out of range.' },
  '22P02': { code: 'INVALID_INPUT', detail: 'A value in the request has the wrong form.' },
  '54000': { code: 'INVALID_INPUT', detail: 'A value in the request is too large.' },
  '23505': { code: 'CONFLICT', detail: 'That already exists (a concurrent request created it first).' },
};

export interface BuildAppOptions {
  /** A pino logger for request logs; tests leave it out. */
  logger?: FastifyServerOptions['loggerInstance'];
}

/** Builds the HTTP app around an already-composed context. No sockets are opened here. */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 1_048_576,
    requestIdHeader: 'x-request-id',
    // X-Forwarded-For is believed only from the proxies an operator named (MG_TRUSTED_PROXIES).
    ...(ctx.config.trustedProxies.length ? { trustProxy: ctx.config.trustedProxies } : {}),
    genReqId: () => randomUUID(),
    // Reject ambiguous query strings like ?a=1&a=2 as arrays only where a route asks for arrays.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Errors Fastify raises before routing (overlong paths, bad content types) get problem+json too.
    frameworkErrors: (error, req, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const code = status === 414 ? 'URI_TOO_LONG' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_INPUT';
      void (reply as unknown as { status(n: number): { type(t: string): { send(b: unknown): void } } })
        .status(status)
        .type('application/problem+json')
        .send(problem(code, status, error.message.slice(0, 200), { instance: req.url.slice(0, 200) }));
    },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(formbody);
  installEdgeHygiene(app);
  installSecurityHeaders(app, ctx.config.publicUrl);
  await installApiRateLimit(app, ctx);

  app.setErrorHandler((error, req, reply) => {
    if (isDomainError(error)) {
      const status = STATUS_BY_CODE[error.code];
      if (error.code === 'RATE_LIMITED' && typeof error.details?.['retryAfterSeconds'] === 'number') {
        reply.header('retry-after', String(error.details['retryAfterSeconds']));
      }
      return reply
        .status(status)
        .type('application/problem+json')
        .send(problem(error.code, status, error.message, { instance: req.url, ...(error.details ?? {}) }));
    }
    const err = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const fromDb = err.code ? DB_CLIENT_ERRORS[err.code] : undefined;
    if (status === 500 && fromDb) {
      // A value the database refused is the request's fault, but reaching the database with it is
      // ours: logged as a warning so the missing edge check gets added.
      req.log.warn({ err: error }, 'database refused a value from the request');
      const s = STATUS_BY_CODE[fromDb.code];
      return reply
        .status(s)
        .type('application/problem+json')
        .send(problem(fromDb.code, s, fromDb.detail, { instance: req.url.slice(0, 200) }));
    }
    if (status === 500 && isDatabaseUnavailable(error)) {
      // The database is restarting or out of reach: nothing is wrong with the request, and a retry
      // in a moment will likely succeed (the pool reconnects by itself).
      req.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '2')
        .type('application/problem+json')
        .send(
          problem('UNAVAILABLE', 503, 'The database is out of reach for a moment; retry in a few seconds.', {
            requestId: req.id,
          }),
        );
    }
    if (status === 500) {
      req.log.error({ err: error }, 'unhandled error');
      return reply
        .status(500)
        .type('application/problem+json')
        .send(
          problem('INTERNAL', 500, 'Something went wrong on our side. The request id identifies it in the logs.', {
            requestId: req.id,
          }),
        );
    }
    // Fastify's own 4xx (malformed JSON, body too large, unsupported media type, rate limit).
    const code =
      status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : status === 429
            ? 'RATE_LIMITED'
            : 'INVALID_INPUT';
    return reply
      .status(status)
      .type('application/problem+json')
      .send(problem(code, status, err.message ?? 'Bad request', { instance: req.url }));
  });

  const methodsOf = trackRouteMethods(app);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = methodsOf(path);
    // The method is one the path takes, yet no route matched (a parameter over its length limit): not found.
    if (allowed.length > 0 && !allowed.includes(req.method)) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .type('application/problem+json')
        .send(problem('METHOD_NOT_ALLOWED', 405, `${path} takes ${allowed.join(', ')}, not ${req.method}.`));
    }
    return reply
      .status(404)
      .type('application/problem+json')
      .send(problem('NOT_FOUND', 404, `No route for ${req.method} ${req.url.split('?')[0]}.`));
  });

  installMetrics(app, ctx.services.metrics);
  installRequestTracing(app);
  installHttpCaching(app);
  for (const register of ROUTE_MODULES) await register(app, ctx);

  app.addHook('onClose', async () => {
    await closeContext(ctx);
  });
  return app;
}
