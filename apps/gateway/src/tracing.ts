import { instrumentOutgoingCalls } from '@media-gateway/catalog';
import type { Db, Queryable } from '@media-gateway/db';
import { type Instrument, setInstrument } from '@media-gateway/domain';
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
 * Spans are made by our own code at the seams we own — HTTP routes (with the caller's W3C
 * `traceparent`), database queries, search stages, recommendation scoring — rather than by
 * patching modules at load time, which is fragile with ESM and tsx. With tracing off every
 * helper here is a no-op and the database is not wrapped.
 */
const tracer = trace.getTracer('media-gateway');
let provider: NodeTracerProvider | undefined;

/** Runs `fn` in `span` and ends it: a thrown error is recorded on the span and thrown on. */
async function within<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

export interface TracingSettings {
  /** OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`); undefined = tracing off. */
  endpoint: string | undefined;
  serviceName: string;
}

/** Registers the tracer provider for this process; returns how to flush and stop it. */
export function startTracing(
  settings: TracingSettings,
): { shutdown(): Promise<void>; flush(): Promise<void> } | undefined {
  if (!settings.endpoint || provider) return undefined;
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/$/, '')}/v1/traces` });
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  // Packages make spans and carry trace context through domain's instrument hooks.
  setInstrument(otelInstrument);
  // Calls to live sources: a CLIENT span each, and the trace carried on in `traceparent`.
  instrumentOutgoingCalls((call, send) =>
    tracer.startActiveSpan(
      `${call.source} ${call.method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'peer.service': call.source, 'http.request.method': call.method, 'url.path': call.path },
      },
      (span) =>
        within(span, async () => {
          const carrier: Record<string, string> = {};
          propagation.inject(context.active(), carrier);
          const res = await send(carrier);
          span.setAttribute('http.response.status_code', res.status);
          if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return res;
        }),
    ),
  );
  const mine = provider;
  return {
    flush: () => mine.forceFlush(),
    async shutdown() {
      await mine.shutdown();
      if (provider === mine) {
        provider = undefined;
        instrumentOutgoingCalls(undefined);
        setInstrument(undefined);
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}

/** domain's Instrument, on OpenTelemetry. */
const otelInstrument: Instrument = {
  span: (name, attributes, fn) => tracer.startActiveSpan(name, { attributes }, (span) => within(span, fn)),
  carrier() {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return carrier;
  },
  continueFrom(carrier, name, fn) {
    const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
    const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER }, parent);
    try {
      return context.with(trace.setSpan(parent, span), fn);
    } finally {
      span.end();
    }
  },
};

/** Trace and span ids of the active span, for log lines (pino mixin). */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** A finished stage as a span under the active one: `seconds` long, ending now. */
export function stageSpan(name: string, seconds: number, attributes: Attributes = {}): void {
  if (!provider || !trace.getActiveSpan()) return;
  const end = performance.timeOrigin + performance.now();
  tracer.startSpan(name, { startTime: end - seconds * 1000, attributes }).end(end);
}

const REQUEST_SPAN = Symbol('otelSpan');

/**
 * A SERVER span per request, child of the caller's `traceparent`, active for the whole request
 * (hooks, handler, database calls), named by the route pattern so names stay few.
 */
export function installRequestTracing(app: FastifyInstance): void {
  if (!provider) return;
  app.addHook('onRequest', (req, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const route = req.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': req.url.split('?')[0] },
      },
      parent,
    );
    (req as FastifyRequest & { [REQUEST_SPAN]?: Span })[REQUEST_SPAN] = span;
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onError', async (req, _reply, error) => {
    const span = (req as FastifyRequest & { [REQUEST_SPAN]?: Span })[REQUEST_SPAN];
    span?.recordException(error);
  });
  app.addHook('onResponse', async (req, reply) => {
    const span = (req as FastifyRequest & { [REQUEST_SPAN]?: Span })[REQUEST_SPAN];
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}

/** The database with a CLIENT span per query (the statement's first 300 characters, never its parameters). */
export function tracedDb(db: Db): Db {
  if (!provider) return db;
  const system = db.backend === 'postgres' ? 'postgresql' : 'pglite';
  const wrap = (q: Queryable): Queryable => ({
    query: <T>(sql: string, params?: readonly unknown[]) =>
      tracer.startActiveSpan(
        'db.query',
        { kind: SpanKind.CLIENT, attributes: { 'db.system': system, 'db.statement': sql.slice(0, 300) } },
        (span) => within(span, () => q.query<T>(sql, params)),
      ),
    exec: (sql) => q.exec(sql),
  });
  const outer = wrap(db);
  return {
    ...db,
    backend: db.backend,
    query: outer.query,
    exec: outer.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
    ...(db.poolStats ? { poolStats: () => db.poolStats!() } : {}),
  };
}
