import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import { isDomainError } from '@media-gateway/domain';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from './context.ts';
import { installMetrics } from './metrics.ts';
import { problem, STATUS_BY_CODE } from './problem.ts';
import { ROUTE_MODULES } from './routes/index.ts';

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

  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem('NOT_FOUND', 404, `No route for ${req.method} ${req.url.split('?')[0]}.`));
  });

  installMetrics(app, ctx);
  for (const register of ROUTE_MODULES) await register(app, ctx);

  app.addHook('onClose', async () => {
    for (const fn of [...ctx.onClose].reverse()) await fn();
  });
  return app;
}
