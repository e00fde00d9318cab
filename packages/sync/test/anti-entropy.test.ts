import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import type { ServerMessage } from '../src/protocol.ts';
import { memoryBus } from '../src/server/sync-bus.ts';
import { type HubPeer, SyncHub } from '../src/server/sync-hub.ts';
import { addToWatchlist, readWatchlist } from '../src/user-state.ts';

/**
 * The bus is the fast path; anti-entropy is the guarantee. Two replicas that cannot hear each other
 * (each on its own memory bus, as when a message is lost with Redis): the device on one still gets
 * what the other stored, on the next pass (found by the soak: devices that missed updates forever).
 */
for (const backend of testBackends()) {
  describe(`anti-entropy brings rooms up to date with what other replicas stored (${backend})`, () => {
    test('a missed update reaches the device at the next pass; a room already current is left alone', async () => {
      const db = await freshDb(backend);
      const a = new SyncHub({ db, bus: memoryBus(), logger: noopLogger, antiEntropyMs: 0 });
      const b = new SyncHub({ db, bus: memoryBus(), logger: noopLogger, antiEntropyMs: 0 });
      try {
        const frames: ServerMessage[] = [];
        const tv: HubPeer = { deviceId: 'tv', deliver: (m) => frames.push(m) };
        a.join('u1', tv, await a.room('u1'));
        assert.equal(await a.antiEntropy(), 0, 'nothing stored yet');

        const phone = new Y.Doc();
        addToWatchlist(phone, 'mg_aaaaaaaaaaaa', 'phone');
        await b.applyUpdate('u1', Y.encodeStateAsUpdate(phone), null);
        assert.equal(readWatchlist((await a.room('u1')).doc).length, 0, 'replica a never heard of it');

        assert.equal(await a.antiEntropy(), 1);
        assert.deepEqual(
          readWatchlist((await a.room('u1')).doc).map((i) => i.titleId),
          ['mg_aaaaaaaaaaaa'],
        );
        assert.ok(
          frames.some((f) => f.type === 'update'),
          'the device was sent what it missed',
        );
        assert.equal(await a.antiEntropy(), 0, 'now current: no reload');
      } finally {
        await a.close();
        await b.close();
        await db.close();
      }
    });
  });
}
