import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { startWorkerLease, type WorkerLease } from '../src/worker-lease.ts';
import { waitFor } from './sync-helpers.ts';

for (const backend of testBackends()) {
  describe(`worker lease on ${backend}: exactly one process runs the scheduled work`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(backend);
    });
    after(async () => db.close());

    const lease = (name: string, ttlMs: number, renewMs: number, log: string[], who: string): WorkerLease =>
      startWorkerLease({
        db,
        logger: noopLogger,
        name,
        ttlMs,
        renewMs,
        onAcquired: () => log.push(`${who} acquired`),
        onLost: () => {
          log.push(`${who} lost`);
        },
      });

    test('one holder among three; when it releases, another takes over at its next try', async () => {
      const log: string[] = [];
      const [a, b, c] = ['a', 'b', 'c'].map((who) => lease('release', 5_000, 50, log, who)) as [
        WorkerLease,
        WorkerLease,
        WorkerLease,
      ];
      try {
        await waitFor(() => log.length === 1, 'a first holder');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal([a, b, c].filter((l) => l.held()).length, 1, log.join(', '));
        const first = [a, b, c].find((l) => l.held())!;
        await first.release();
        await waitFor(() => [a, b, c].filter((l) => l.held()).length === 1, 'a second holder', 5_000);
        assert.ok(!first.held());
        assert.equal(log.length, 2, log.join(', '));
      } finally {
        for (const l of [a, b, c]) await l.release();
      }
    });

    test('a holder frozen past the lease is replaced, and stops its work when it wakes', async () => {
      const log: string[] = [];
      // "frozen" renews every 600 ms a lease that lasts 200 ms: between renewals it looks dead.
      const frozen = lease('freeze', 200, 600, log, 'frozen');
      await waitFor(() => frozen.held(), 'the first holder');
      const other = lease('freeze', 200, 50, log, 'other');
      try {
        await waitFor(() => other.held(), 'the takeover', 5_000);
        await waitFor(() => log.includes('frozen lost'), 'the frozen holder to notice', 5_000);
        assert.ok(!frozen.held());
        await new Promise((r) => setTimeout(r, 700));
        assert.ok(other.held() && !frozen.held(), 'the live holder keeps it: the woken one does not take it back');
        assert.deepEqual(log, ['frozen acquired', 'other acquired', 'frozen lost']);
      } finally {
        await frozen.release();
        await other.release();
      }
    });
  });
}
