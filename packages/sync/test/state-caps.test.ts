import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import { memoryBus } from '../src/server/sync-bus.ts';
import { SyncError, SyncHub } from '../src/server/sync-hub.ts';
import { SyncStore } from '../src/server/sync-store.ts';
import { addToWatchlist, ROOT_CAPS, readWatchlist } from '../src/user-state.ts';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A distinct title id for each number i (mg_ + 12 base-32 letters). */
const idOf = (i: number) => `mg_${[...i.toString(32).padStart(12, '0')].map((d) => BASE32[parseInt(d, 32)]).join('')}`;

/** A device's update adding titles [from, to) to the watchlist, made on a copy of nothing. */
function adding(from: number, to: number): Uint8Array {
  const doc = new Y.Doc();
  for (let i = from; i < to; i++) addToWatchlist(doc, idOf(i), 'flooder', 1);
  return Y.encodeStateAsUpdate(doc);
}

for (const backend of testBackends()) {
  describe(`one person's synced state has a size limit (${backend})`, () => {
    test('updates that would take the watchlist past its cap are refused, and nothing of them is kept', async () => {
      const db = await freshDb(backend);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger });
      try {
        const cap = ROOT_CAPS.watchlist;
        for (let from = 0; from < cap; from += 2_500) await hub.applyUpdate('u1', adding(from, from + 2_500), null);
        await assert.rejects(
          hub.applyUpdate('u1', adding(cap, cap + 1), null),
          (error: unknown) => error instanceof SyncError && error.code === 'PAYLOAD_TOO_LARGE',
        );
        // Replacing an entry already there adds nothing, so it still works at the cap.
        await hub.applyUpdate('u1', adding(0, 1), null);
        // A server-side edit (REST, imports) past the cap is refused the same way.
        await assert.rejects(
          hub.edit('u1', (doc) => addToWatchlist(doc, idOf(cap + 2), 'rest-web', 2)),
          /at most 10000 titles on the watchlist/,
        );
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await new SyncStore(db).load('u1')).state);
        assert.equal(readWatchlist(stored).length, cap, 'exactly the cap, nothing of the refused updates');
      } finally {
        await hub.close();
        await db.close();
      }
    });
  });
}
