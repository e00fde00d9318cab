import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import { addToWatchlist, memoryBus, readWatchlist, SyncHub, SyncStore } from '../src/index.ts';

const T = (i: number) =>
  `mg_${String.fromCharCode(97 + (i % 26)).repeat(6)}${String.fromCharCode(97 + Math.floor(i / 26)).repeat(6)}`;

function updateAdding(titleId: string): Uint8Array {
  const d = new Y.Doc();
  addToWatchlist(d, titleId, 'test', 1);
  return Y.encodeStateAsUpdate(d);
}

for (const backend of testBackends()) {
  describe(`sync store (${backend})`, () => {
    test('[P1][P2] appended updates load back as one state', async () => {
      const db = await freshDb(backend);
      try {
        const store = new SyncStore(db);
        for (let i = 0; i < 5; i++) await store.append('u1', updateAdding(T(i)));
        await store.append('u2', updateAdding(T(9)));
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await store.load('u1')).state);
        assert.equal(readWatchlist(doc).length, 5);
      } finally {
        await db.close();
      }
    });

    test(
      '[P3] compaction folds updates into the snapshot and ' +
        'keeps everything, including updates it never had in memory',
      async () => {
        const db = await freshDb(backend);
        try {
          const store = new SyncStore(db);
          for (let i = 0; i < 30; i++) await store.append('u1', updateAdding(T(i)));
          const r = await store.compact('u1');
          assert.equal(r.folded, 30);
          assert.equal(await store.countUpdates('u1'), 0);
          await store.append('u1', updateAdding(T(40)));
          const doc = new Y.Doc();
          Y.applyUpdate(doc, (await store.load('u1')).state);
          assert.equal(readWatchlist(doc).length, 31);
        } finally {
          await db.close();
        }
      },
    );

    test('[P3] the hub compacts after N writes without losing any', async () => {
      const db = await freshDb(backend);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger, compactAfter: 10 });
      try {
        for (let i = 0; i < 25; i++) await hub.applyUpdate('u1', updateAdding(T(i)), null);
        await hub.edit('u1', (d) => addToWatchlist(d, T(30), 'rest'));
        // Compaction runs beside the write queue (never delaying an ack): poll for it, bounded.
        const deadline = Date.now() + 10_000;
        while ((await hub.store.countUpdates('u1')) >= 26 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        assert.ok((await hub.store.countUpdates('u1')) < 26, 'some updates were folded');
        const fresh = new Y.Doc();
        Y.applyUpdate(fresh, (await hub.store.load('u1')).state);
        assert.equal(readWatchlist(fresh).length, 26);
      } finally {
        await hub.close();
        await db.close();
      }
    });
  });
}
