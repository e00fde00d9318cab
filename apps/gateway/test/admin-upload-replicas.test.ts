import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { bearer, catalogFiles, waitForRun } from './admin-helpers.ts';
import { type AuthReplicas, createAuthReplicas } from './auth-helpers.ts';

const UPLOAD = '/api/admin/ingestion/upload';

for (const backend of testBackends()) {
  describe(`an upload's progress on any replica (round-robin balancer) (${backend})`, () => {
    let r: AuthReplicas;
    let files: Awaited<ReturnType<typeof catalogFiles>>;
    before(async () => {
      r = await createAuthReplicas(backend, { MG_SEARCH_INDEX: 'memory' });
      files = await catalogFiles();
    });
    after(async () => {
      await r.close();
      await rm(files.dir, { recursive: true, force: true });
    });

    test('the replica that did not take the upload answers its status and rows from the runs table', async () => {
      const admin = await r.a.token('admin-1', ['admin']);
      const res = await r.a.app.inject({
        method: 'POST',
        url: `${UPLOAD}?filename=netflix_titles.csv`,
        payload: await readFile(files.netflix),
        headers: { 'content-type': 'text/csv', ...bearer(admin) },
      });
      assert.equal(res.statusCode, 202, res.body);
      const { runId } = res.json() as { runId: string };
      await waitForRun(r.a, admin, runId);
      const elsewhere = await r.b.app.inject({ url: `${UPLOAD}/${runId}`, headers: bearer(admin) });
      assert.equal(elsewhere.statusCode, 200, elsewhere.body);
      const p = elsewhere.json() as { status: string; rows: number; done: number; total: number; source: string };
      assert.equal(p.status, 'completed');
      assert.equal(p.rows, 5);
      assert.equal(p.done, p.total, 'a finished run is all read');
      assert.equal(p.source, 'catalog-csv:netflix');
      const unknown = await r.b.app.inject({
        url: `${UPLOAD}/00000000-0000-4000-8000-000000000000`,
        headers: bearer(admin),
      });
      assert.equal(unknown.statusCode, 404);
    });
  });
}
