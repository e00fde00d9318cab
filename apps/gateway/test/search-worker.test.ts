import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getUserSettings } from '@media-gateway/catalog';
import { manualClock } from '@media-gateway/domain';
import type { SearchRequest, SearchService } from '@media-gateway/search';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * /api/search on search worker threads (decision 0124): with the index saved under MG_DATA_DIR, answers come
 * from the workers once they have loaded (they start by themselves once the server's index is ready), byte for byte
 * what the server's own search service answers, for anonymous and signed-in people alike; before a worker is up,
 * and after they are gone, the server answers itself.
 */
for (const backend of testBackends()) {
  describe(`search answered on worker threads (${backend})`, () => {
    let t: TestApp;
    let dir: string;
    let service: SearchService;
    // Offers are judged by the gateway's clock, not the system's: 400 days after the sample was ingested.
    const clock = manualClock(Date.now() + 400 * 86_400_000);
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mg-search-worker-gw-'));
      t = await createTestApp({ backend, sample: true, clock, env: { MG_DATA_DIR: dir, MG_SEARCH_WORKERS: '2' } });
      service = await t.ctx.services.search();
    });
    after(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });

    const post = (body: Record<string, unknown>, token?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/search',
        payload: body,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });

    test('answers from the workers once they have loaded, exactly as the server itself would', async () => {
      const offload = t.ctx.services.searchAnswers();
      // Attached to the server's service (as the server does at start), both workers load one after the other
      // without a search to start them.
      offload.attach(service);
      for (let i = 0; i < 300 && offload.workersUp < 2; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(offload.workersUp, 2, 'both worker threads loaded within 30 s');
      // Sent together, so the least busy worker takes each: both answer.
      const queries = [
        'scary movies like Stranger Things on Netflix under 2 hours',
        'korean dramas',
        'heist',
        'robots',
      ];
      const answers = await Promise.all(queries.map((query) => post({ query, limit: 5 })));
      for (const [i, query] of queries.entries()) {
        const res = answers[i]!;
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(res.body, JSON.stringify(await service.search({ query, limit: 5 })), query);
      }
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^mg_search_workers_up 2$/m);
      const stale = JSON.parse((await post({ query: 'drama', limit: 3 })).body) as {
        results: Array<{ offers: Array<{ isStale: boolean }> }>;
      };
      assert.ok(
        stale.results.flatMap((r) => r.offers).every((o) => o.isStale),
        'judged by the gateway clock',
      );
    });

    test('a bad cursor is the same 400 problem, and a signed-in person’s answer matches too', async () => {
      const bad = await post({ query: 'drama', cursor: 'bm90LWEtY3Vyc29y' });
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers['content-type']), /problem\+json/);
      assert.equal((bad.json() as { code: string }).code, 'INVALID_INPUT');

      const token = await t.token('worker-fan', ['recommendations']);
      const settings = await getUserSettings(t.ctx.db, 'worker-fan');
      const req: SearchRequest = {
        query: 'something to watch tonight',
        user: { region: settings.region, services: settings.services },
        personal: {
          weight: t.ctx.config.search.personalWeight,
          affinity: (ids) => t.ctx.services.recommender().affinity('worker-fan', ids),
        },
      };
      const res = await post({ query: req.query }, token);
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, JSON.stringify(await service.search(req)));
    });

    test('a worker that crashes is started again after the wait, and searches are answered meanwhile', async () => {
      const offload = t.ctx.services.searchAnswers();
      offload.attach(service);
      const waitFor = async (up: number) => {
        for (let i = 0; i < 300 && offload.workersUp !== up; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(offload.workersUp, up);
      };
      await waitFor(2);
      offload.restartAfterMs = 3_000;
      // The thread itself goes away, as on a crash: the same 'exit' a fatal error in the worker ends in.
      const { workers } = offload as unknown as { workers: Array<{ worker: { terminate(): Promise<number> } }> };
      await workers[0]!.worker.terminate();
      await waitFor(1);
      const res = await post({ query: 'korean dramas', limit: 5 });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, JSON.stringify(await service.search({ query: 'korean dramas', limit: 5 })));
      // Not at once (a worker that keeps failing is not restarted in a loop), but after the wait.
      assert.equal(offload.workersUp, 1, 'still waiting');
      await waitFor(2);
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^mg_search_workers_up 2$/m);
    });

    test('once the workers are closed (the server stopping), the server answers itself', async () => {
      const offload = t.ctx.services.searchAnswers();
      await offload.close();
      const res = await post({ query: 'korean dramas on netflix' });
      assert.equal(res.statusCode, 200);
      assert.equal(offload.workersUp, 0, 'none is started again');
      assert.equal(res.body, JSON.stringify(await service.search({ query: 'korean dramas on netflix' })));
    });
  });
}
