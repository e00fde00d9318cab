import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { acquireSourceLock, releaseSourceLock } from '../../src/scheduler/source-lock.ts';
import { type FixtureServer, fixture, startFixtureServer } from '../../testing/fixture-server.ts';

for (const backend of testBackends()) {
  describe(`availability lifecycle of full sweeps on ${backend}`, () => {
    let db: Db;
    let server: FixtureServer;
    let onlyFirstPage = false;
    let env: Record<string, string>;
    const run = (mode: 'full' | 'incremental') =>
      runLiveSource({ db, source: 'streaming-availability', region: 'US', mode, env });
    const breakingBadOffer = async () =>
      (
        await db.query<{ available_until: Date | null }>(
          `SELECT available_until FROM offers WHERE source = 'streaming-availability:US' AND source_key = '1403'`,
        )
      ).rows[0];
    before(async () => {
      db = await freshDb(backend);
      server = await startFixtureServer((req) => {
        if (req.path === '/shows/search/filters') {
          if (!req.query.get('cursor')) {
            const page = JSON.parse(fixture('streaming-availability', 'filters-1.json')) as {
              hasMore: boolean;
              nextCursor?: string;
            };
            if (onlyFirstPage) {
              page.hasMore = false;
              delete page.nextCursor;
            }
            return { body: page };
          }
          return { body: fixture('streaming-availability', 'filters-2.json') };
        }
        if (req.path === '/changes') return { body: fixture('streaming-availability', 'changes-empty.json') };
        return undefined;
      });
      env = { STREAMING_AVAILABILITY_API_KEY: 'k', STREAMING_AVAILABILITY_BASE_URL: server.url };
    });
    after(async () => {
      await server.close();
      await db.close();
    });

    test('an offer missing from a complete full sweep is closed at the sweep start, with offer.removed', async () => {
      assert.equal((await run('full')).status, 'completed');
      assert.equal((await breakingBadOffer())?.available_until, null);
      onlyFirstPage = true;
      const r = await run('full');
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.offersClosed, 1);
      const sweep = await db.query<{ started_at: Date }>(
        `SELECT started_at FROM ingest_sweeps WHERE source = 'streaming-availability:US' AND mode = 'full'`,
      );
      assert.equal((await breakingBadOffer())?.available_until?.toISOString(), sweep.rows[0]!.started_at.toISOString());
      const ev = await db.query<{ payload: { reason: string } }>(
        `SELECT payload FROM catalog_events WHERE type = 'offer.removed' ORDER BY seq DESC LIMIT 1`,
      );
      assert.equal(ev.rows[0]?.payload.reason, 'not seen in full sweep');
    });

    test('incremental runs never close offers', async () => {
      const r = await run('incremental');
      assert.equal(r.status === 'completed' && r.offersClosed, 0);
    });

    test('the offer re-opens when it reappears, with offer.added (reopened)', async () => {
      onlyFirstPage = false;
      const r = await run('full');
      assert.equal(r.status, 'completed');
      if (r.status !== 'completed') return;
      assert.equal(r.offersReopened, 1);
      assert.equal(r.offersClosed, 0);
      assert.equal((await breakingBadOffer())?.available_until, null);
      const ev = await db.query<{ payload: { reopened?: boolean } }>(
        `SELECT payload FROM catalog_events WHERE type = 'offer.added' ORDER BY seq DESC LIMIT 1`,
      );
      assert.equal(ev.rows[0]?.payload.reopened, true);
    });

    test('never two runs of a source at once: a held lock makes the run report busy', async () => {
      assert.ok(await acquireSourceLock(db, 'streaming-availability', `${process.pid}@other-host`));
      const r = await runLiveSource({ db, source: 'streaming-availability', region: 'GB', mode: 'incremental', env });
      assert.equal(r.status, 'busy');
      await releaseSourceLock(db, 'streaming-availability', `${process.pid}@other-host`);
      assert.equal(
        (await runLiveSource({ db, source: 'streaming-availability', region: 'GB', mode: 'incremental', env })).status,
        'completed',
      );
    });
  });
}
