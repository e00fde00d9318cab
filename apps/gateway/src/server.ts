import { loadSampleIfEmpty, markStaleRunsInterrupted, SAMPLE_AS_OF } from '@media-gateway/catalog';
import { updateLock } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import { CLOSE } from '@media-gateway/sync';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, pino } from 'pino';
import { buildApp } from './app.ts';
import type { GatewayConfig } from './config.ts';
import { createContext } from './compose.ts';
import { type ScheduledWork, startScheduledWork } from './scheduled-work.ts';
import { startWorkerLease } from './worker-lease.ts';
import { startTracing, traceIds } from './tracing.ts';
import { startSearchInBackground } from './routes/search.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /**
   * Graceful stop (SIGTERM): /readyz fails at once while requests are still served for the drain
   * delay (so a load balancer moves traffic away), then sync sockets close with 1012 "service
   * restart" (clients reconnect at once, elsewhere), the workers finish the batch in hand, the
   * server stops listening and waits for requests in flight, and storage closes. `delay: false`
   * (SIGINT, tests) skips the wait.
   */
  close(options?: { delay?: boolean }): Promise<void>;
}

/**
 * Query parameters that are credentials or sign-in codes: the calendar feed's `token`, the device flow's `user_code`,
 * OAuth's `code` and `state`. A request log keeps the path and the other parameters, and says these were there.
 */
const SECRET_PARAMS = new Set([
  'token',
  'user_code',
  'code',
  'state',
  'access_token',
  'refresh_token',
  'code_verifier',
]);

export function redactedUrl(url: string, depth = 0): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const [name, value] of [...params.entries()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) {
      params.set(name, 'REDACTED');
      changed = true;
    } else if (name === 'return_to' && depth < 2) {
      // The sign-in page's way back carries the page's own URL: "/device?user_code=…" inside it.
      const inner = redactedUrl(value, depth + 1);
      if (inner !== value) {
        params.set(name, inner);
        changed = true;
      }
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}

/** What a request log line holds of the request (Fastify's fields, with credentials in the URL redacted). */
function requestForLog(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactedUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The server's pino logger: JSON lines with trace ids, and no credentials in request URLs. */
export function gatewayLogger(level: string, destination?: DestinationStream) {
  return pino(
    { level, base: { service: 'media-gateway' }, mixin: traceIds, serializers: { req: requestForLog } },
    destination,
  );
}

/** `media-gateway serve`: open storage, load the sample on an empty catalog, listen. */
export async function startServer(config: GatewayConfig): Promise<RunningServer> {
  // Traces (when OTEL_EXPORTER_OTLP_ENDPOINT is set) start before anything that could make a span.
  const tracing = startTracing(config.tracing);
  // Every log line written inside a traced request carries its trace and span ids.
  const logger = gatewayLogger(config.logLevel);
  const ctx = await createContext(config, logger as unknown as Logger);
  if (tracing) ctx.onClose.unshift(() => tracing.shutdown());
  // Possible on purpose (a catalog-only server), but rarely meant: said once at start.
  if (!config.auth.localAccounts && !config.auth.oidc)
    logger.warn('MG_LOCAL_ACCOUNTS is off and no MG_OIDC_ISSUER is set: nobody can sign in to this server.');
  await markStaleRunsInterrupted(ctx.db);
  if (config.sampleCatalog === 'auto') {
    const loaded = await loadSampleIfEmpty(ctx.db, logger as unknown as Logger);
    if (loaded) {
      logger.info(
        { titles: loaded.counts.titlesCreated, asOf: SAMPLE_AS_OF },
        `Catalog was empty: loaded the bundled SAMPLE catalog (${loaded.counts.titlesCreated} titles, ` +
          `availability as of ${SAMPLE_AS_OF}). Load real catalogs with "media-gateway ingest <files>".`,
      );
    }
  }
  const app = await buildApp(ctx, { logger: logger as unknown as never });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  if (ctx.db.backend === 'pglite') await updateLock(config.dataDir, { url });
  logger.info({ url, backend: ctx.db.backend }, `Media Gateway listening on ${url}`);
  // Search loads its vector index behind words-only answers, so the first search is not held for it.
  if (config.role !== 'worker') startSearchInBackground(ctx);
  // Scheduled work (ingestion, retraining, retention) runs in the worker role and the all-in-one
  // default, in exactly one process at a time: the one holding the worker lease.
  let work: ScheduledWork | undefined;
  const lease =
    config.role === 'worker' || config.role === 'all'
      ? startWorkerLease({
          db: ctx.db,
          logger: logger as unknown as Logger,
          onAcquired: () => {
            work = startScheduledWork(ctx, logger as unknown as Logger);
          },
          onLost: async () => {
            await work?.stop();
            work = undefined;
          },
        })
      : undefined;
  let closing: Promise<void> | undefined;
  const drain = async (delay: boolean) => {
    ctx.lifecycle.draining = true;
    const seconds = delay ? config.shutdown.drainDelaySeconds : 0;
    logger.info({ drainDelaySeconds: seconds }, 'draining: /readyz now answers 503');
    if (seconds > 0) await new Promise((r) => setTimeout(r, seconds * 1000));
    for (const socket of app.websocketServer?.clients ?? []) socket.close(CLOSE.SERVICE_RESTART, 'server restarting');
    await work?.stop();
    await lease?.release();
    await app.close();
    logger.info('drained: every request in flight answered, storage closed');
  };
  return {
    app,
    url,
    close: (options = {}) => {
      closing ??= drain(options.delay ?? false);
      return closing;
    },
  };
}
