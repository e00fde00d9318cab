import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import { memoryBus } from '../src/server/sync-bus.ts';
import { SyncError, SyncHub } from '../src/server/sync-hub.ts';
import { SyncStore } from '../src/server/sync-store.ts';
import {
  addHandoff,
  addToWatchlist,
  ROOT_CAPS,
  readInbox,
  readProgress,
  readWatchlist,
  setProgress,
} from '../src/user-state.ts';

/** A hybrid logical clock stamp for second n. */
const hlcAt = (n: number) => `${String(n * 1000).padStart(15, '0')}:000000:phone`;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A distinct title id for each number i (mg_ + 12 base-32 letters). */
const idOf = (i: number) => `mg_${[...i.toString(32).padStart(12, '0')].map((d) => BASE32[parseInt(d, 32)]).join('')}`;

/** What the database holds for the person. */
async function stored(db: Db, userId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await new SyncStore(db).load(userId)).state);
  return doc;
}

for (const backend of testBackends()) {
  describe(`one person's synced state has a size limit (${backend})`, () => {
    test('a device going past the watchlist cap: its newest additions go, and its later edits still sync', async () => {
      const db = await freshDb(backend);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger });
      try {
        const cap = ROOT_CAPS.watchlist;
        // One device's own document, as a client keeps it: every update depends on the ones before it.
        const device = new Y.Doc();
        const send = async (change: () => void) => {
          const before = Y.encodeStateVector(device);
          change();
          await hub.applyUpdate('u1', Y.encodeStateAsUpdate(device, before), null);
        };
        for (let from = 0; from < cap + 10; from += 2_500)
          await send(() => {
            for (let i = from; i < Math.min(from + 2_500, cap + 10); i++) addToWatchlist(device, idOf(i), 'phone', i);
          });
        const onList = new Set(readWatchlist(await stored(db, 'u1')).map((w) => w.titleId));
        assert.equal(onList.size, cap, 'back to the cap');
        assert.ok(onList.has(idOf(0)) && !onList.has(idOf(cap + 9)), 'the newest additions went');
        // The same device goes on: its next edit is not stuck behind anything refused.
        await send(() =>
          setProgress(device, idOf(1), 'phone', { positionSeconds: 60, durationSeconds: 600, hlc: hlcAt(1) }),
        );
        assert.equal(readProgress(await stored(db, 'u1')).get(idOf(1))?.positionSeconds, 60);
        // Re-setting deleted keys (items that carry no key in the encoding) cannot get past the cap either.
        await send(() => {
          for (let i = cap; i < cap + 10; i++) addToWatchlist(device, idOf(i), 'phone', i);
        });
        assert.equal(readWatchlist(await stored(db, 'u1')).length, cap);
        // A server-side addition (REST, imports) to a full watchlist is refused.
        await assert.rejects(
          hub.edit('u1', (doc) => addToWatchlist(doc, idOf(cap + 20), 'rest-web', 2)),
          (error: unknown) => error instanceof SyncError && /at most 10000 titles/.test(error.message),
        );
      } finally {
        await hub.close();
        await db.close();
      }
    });

    test('handoffs nobody opens do not block new ones: past the cap the oldest go', async () => {
      const db = await freshDb(backend);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger });
      try {
        const send = (from: number, to: number) =>
          hub.edit('u1', (doc) => {
            for (let n = from; n < to; n++)
              addHandoff(doc, 'laptop', `h${n}`, {
                titleId: idOf(n),
                positionSeconds: null,
                link: null,
                fromDevice: 'phone',
                createdAt: 1_000 + n,
              });
          });
        await send(0, ROOT_CAPS.inbox);
        await send(ROOT_CAPS.inbox, ROOT_CAPS.inbox + 3);
        const inbox = readInbox(await stored(db, 'u1'), 'laptop').map((h) => h.id);
        assert.equal(inbox.length, ROOT_CAPS.inbox);
        assert.ok(inbox.includes(`h${ROOT_CAPS.inbox + 2}`), 'the newest stays');
        assert.ok(!inbox.includes('h0') && !inbox.includes('h2') && inbox.includes('h3'), 'the three oldest went');
      } finally {
        await hub.close();
        await db.close();
      }
    });
  });
}
