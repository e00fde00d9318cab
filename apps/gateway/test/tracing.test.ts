import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runLiveSource } from '@media-gateway/catalog';
import { startFixtureServer, tmdbRoutes } from '@media-gateway/catalog/testing';
import { noopLogger } from '@media-gateway/domain';
import { redisBus, SyncHub } from '@media-gateway/sync';
import { redisUrl } from '@media-gateway/testkit';
import { trace } from '@opentelemetry/api';
import { startTracing, traceIds } from '../src/tracing.ts';
import { waitFor } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: number | string } }>;
}

/** OTLP/JSON ids are hex (the spec); accept base64 too, as some encoders send it. */
const hex = (id: string) => (/^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

/** A local OTLP/HTTP receiver: decodes every POST /v1/traces body and keeps the spans. */
async function otlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const doc = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const rs of doc.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              spans.push({
                ...s,
                traceId: hex(s.traceId),
                spanId: hex(s.spanId),
                ...(s.parentSpanId ? { parentSpanId: hex(s.parentSpanId) } : {}),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

const redis = redisUrl();

describe('OpenTelemetry traces (OTLP/HTTP to a local receiver)', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let tracing: ReturnType<typeof startTracing>;
  let t: TestApp;
  before(async () => {
    receiver = await otlpReceiver();
    tracing = startTracing({ endpoint: receiver.url, serviceName: 'mg-test' });
    t = await createTestApp({ sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
  });
  after(async () => {
    await t.close();
    await tracing?.shutdown();
    receiver.server.close();
  });

  test('POST /api/search with a traceparent: route, database queries and search stages share the trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/search',
      headers: { traceparent: `00-${traceId}-${parent}-01` },
      payload: { query: 'space adventure' },
    });
    assert.equal(res.statusCode, 200);
    await tracing!.flush();
    await waitFor(() => receiver.spans.some((s) => s.traceId === traceId && s.name === 'search.total'), 'spans');
    const ours = receiver.spans.filter((s) => s.traceId === traceId);
    const route = ours.find((s) => s.name === 'POST /api/search');
    assert.ok(route, `route span among ${ours.map((s) => s.name).join(', ')}`);
    assert.equal(route.parentSpanId, parent, "the route span is the caller's child");
    const status = route.attributes?.find((a) => a.key === 'http.response.status_code')?.value.intValue;
    assert.equal(Number(status), 200);
    const db = ours.filter((s) => s.name === 'db.query');
    assert.ok(db.length >= 1, 'at least one database query');
    assert.ok(
      db.some((s) => /to_tsquery|ts_rank|FROM titles|catalog_events/i.test(JSON.stringify(s.attributes))),
      'the lexical or catalog query is among them',
    );
    for (const stage of ['search.parse', 'search.lexical', 'search.fusion', 'search.total'])
      assert.ok(
        ours.some((s) => s.name === stage),
        `${stage} in ${ours.map((s) => s.name).join(', ')}`,
      );
    // Stages hang under the request, not beside it.
    const total = ours.find((s) => s.name === 'search.total')!;
    assert.ok(ours.some((s) => s.spanId === total.parentSpanId));
  });

  test('calls to a live source carry the trace in traceparent and get a CLIENT span each', async () => {
    const server = await startFixtureServer(tmdbRoutes);
    try {
      let traceId = '';
      await trace.getTracer('test').startActiveSpan('ingest tmdb', async (span) => {
        traceId = span.spanContext().traceId;
        const r = await runLiveSource({
          db: t.ctx.db,
          source: 'tmdb',
          region: 'US',
          mode: 'incremental',
          env: { TMDB_API_KEY: 'k', TMDB_BASE_URL: `${server.url}/3` },
        });
        assert.equal(r.status, 'completed');
        span.end();
      });
      const carried = server.requests.map((r) => String(r.headers['traceparent'] ?? ''));
      assert.ok(carried.length > 0 && carried.every((h) => h.startsWith(`00-${traceId}-`)), carried.join(' '));
      await tracing!.flush();
      await waitFor(() => receiver.spans.some((s) => s.traceId === traceId && s.name === 'tmdb GET'), 'tmdb spans');
      const calls = receiver.spans.filter((s) => s.traceId === traceId && s.name === 'tmdb GET');
      // Each request the fixture server saw names one of these spans as its parent.
      const ids = new Set(calls.map((s) => s.spanId));
      assert.ok(carried.every((h) => ids.has(h.split('-')[2]!)));
      await waitFor(() => receiver.spans.some((s) => s.traceId === traceId && s.name === 'ingest.batch'), 'batches');
    } finally {
      await server.close();
    }
  });

  test('the sync bus carries the trace to another replica: redis.publish there, sync.bus.* here', {
    skip: redis.skip,
  }, async () => {
    const channel = `mg:trace-test:${process.pid}:${Date.now()}`;
    const hubA = new SyncHub({ db: t.ctx.db, bus: await redisBus({ url: redis.url!, channel }), logger: noopLogger });
    const hubB = new SyncHub({ db: t.ctx.db, bus: await redisBus({ url: redis.url!, channel }), logger: noopLogger });
    try {
      let traceId = '';
      await trace.getTracer('test').startActiveSpan('send to tv', async (span) => {
        traceId = span.spanContext().traceId;
        await hubA.notifyHandoff('trace-user', 'tv-1', 'h-1');
        span.end();
      });
      await tracing!.flush();
      await waitFor(
        async () => {
          await tracing!.flush();
          return receiver.spans.some((s) => s.traceId === traceId && s.name === 'sync.bus.handoff');
        },
        'the other replica to continue the trace',
        10_000,
      );
      assert.ok(receiver.spans.some((s) => s.traceId === traceId && s.name === 'redis.publish'));
    } finally {
      await hubA.close();
      await hubB.close();
    }
  });

  test('a request without traceparent starts its own trace; log lines get the active ids', async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    assert.equal((await t.app.inject({ url: '/api/titles?limit=1' })).statusCode, 200);
    await tracing!.flush();
    await waitFor(
      () => receiver.spans.some((s) => s.name === 'GET /api/titles' && !before.has(s.traceId)),
      'a new trace',
    );
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('work', (span) => {
      assert.deepEqual(traceIds(), { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      span.end();
    });
    assert.deepEqual(traceIds(), {}, 'outside a span: nothing');
  });
});
