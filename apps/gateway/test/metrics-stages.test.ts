import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisUrl, testBackends } from '@media-gateway/testkit';
import { addToWatchlist } from '@media-gateway/sync';
import * as Y from 'yjs';
import { listen, rawSocket, waitFor } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/** The value of one sample line of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const backend of testBackends()) {
  describe(
    `/metrics beyond HTTP on ${backend}: ` +
      'process, search stages, recommendations, ' +
      'sync sockets, ingestion, pool',
    () => {
      let t: TestApp;
      let ws: string;
      before(async () => {
        t = await createTestApp({ backend, sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
        ws = (await listen(t)).ws;
      });
      after(async () => t.close());

      const scrape = async () => (await t.app.inject({ url: '/metrics' })).body;

      test('default process metrics are there', async () => {
        const text = await scrape();
        assert.ok((sample(text, 'process_cpu_seconds_total') ?? -1) >= 0);
        assert.match(text, /^nodejs_eventloop_lag_p99_seconds /m);
        assert.match(text, /^process_resident_memory_bytes /m);
      });

      test('a search is timed by stage: parse, lexical, fusion and total', async () => {
        const before = await scrape();
        const count = (text: string, stage: string) =>
          sample(text, `mg_search_stage_duration_seconds_count{stage="${stage}"}`) ?? 0;
        const res = await t.app.inject({ method: 'POST', url: '/api/search', payload: { query: 'space adventure' } });
        assert.equal(res.statusCode, 200);
        const after = await scrape();
        for (const stage of ['parse', 'lexical', 'fusion', 'total'])
          assert.equal(count(after, stage) - count(before, stage), 1, `one ${stage} observation`);
      });

      test('recommendations are timed (score and total)', async () => {
        const token = await t.token('metrics-user', ['recommendations']);
        const res = await t.app.inject({ url: '/api/recommendations', headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200, res.body);
        const text = await scrape();
        assert.ok((sample(text, 'mg_recs_duration_seconds_count{stage="total"}') ?? 0) >= 1);
        assert.ok((sample(text, 'mg_recs_duration_seconds_count{stage="score"}') ?? 0) >= 1);
      });

      test('sync sockets: the open count follows connections; frames and update→ack latency are counted', async () => {
        const token = await t.token('metrics-sync', ['watchlist:read', 'watchlist:write']);
        const sock = rawSocket(ws, token);
        await sock.opened;
        await waitFor(async () => sample(await scrape(), 'mg_ws_connections') === 1, 'one open socket');
        const doc = new Y.Doc();
        const vector = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
        sock.socket.send(JSON.stringify({ v: 1, type: 'hello', deviceId: 'dev-m', stateVector: vector }));
        await waitFor(() => sock.frames.some((f) => (f as { type: string }).type === 'welcome'), 'welcome');
        addToWatchlist(doc, 'mg_aaaaaaaaaaaa', 'dev-m');
        const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
        sock.socket.send(JSON.stringify({ v: 1, type: 'update', id: 1, update }));
        await waitFor(() => sock.frames.some((f) => (f as { type: string }).type === 'ack'), 'ack');
        const text = await scrape();
        assert.ok((sample(text, 'mg_ws_messages_total{direction="in"}') ?? 0) >= 2);
        assert.ok((sample(text, 'mg_ws_messages_total{direction="out"}') ?? 0) >= 2);
        assert.equal(sample(text, 'mg_sync_update_duration_seconds_count'), 1);
        sock.socket.close();
        await waitFor(async () => sample(await scrape(), 'mg_ws_connections') === 0, 'the socket counted out');
      });

      test('ingestion freshness comes from the database: the sample import is a completed run', async () => {
        const text = await scrape();
        const at = sample(text, 'mg_ingest_last_success_timestamp_seconds{source="sample"}');
        assert.ok(at !== undefined && at > 1_600_000_000, `a unix time, got ${at}`);
      });

      test(`the PostgreSQL pool is reported only where there is one (${backend})`, async () => {
        const text = await scrape();
        if (backend === 'postgres') assert.ok((sample(text, 'mg_db_pool_connections{state="total"}') ?? 0) >= 1);
        else assert.doesNotMatch(text, /mg_db_pool_connections/);
      });
    },
  );
}

const redis = redisUrl();
describe('/metrics with Redis configured', { skip: redis.skip }, () => {
  test('mg_redis_up is 1 once the sync bus is connected; absent without REDIS_URL', async () => {
    const withRedis = await createTestApp({ env: { REDIS_URL: redis.url! } });
    const without = await createTestApp({});
    try {
      await withRedis.ctx.services.sync();
      await waitFor(
        async () => sample((await withRedis.app.inject({ url: '/metrics' })).body, 'mg_redis_up') === 1,
        'mg_redis_up 1',
      );
      assert.doesNotMatch((await without.app.inject({ url: '/metrics' })).body, /mg_redis_up/);
    } finally {
      await withRedis.close();
      await without.close();
    }
  });
});
