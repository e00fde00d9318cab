import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import type { ServerMessage } from '../src/protocol.ts';
import { memoryBus } from '../src/server/sync-bus.ts';
import { type HubPeer, SyncHub } from '../src/server/sync-hub.ts';
import { addToWatchlist, readWatchlist } from '../src/user-state.ts';

/** The real database, with a switch that makes every query fail as during a PostgreSQL restart. */
function switchableDb(db: Db): { db: Db; down: (on: boolean) => void } {
  let isDown = false;
  const refuse = () => Promise.reject(new Error('connection terminated (database restarting)'));
  const wrapped: Db = {
    backend: db.backend,
    query: ((...args: Parameters<Db['query']>) => (isDown ? refuse() : db.query(...args))) as Db['query'],
    exec: (sql) => (isDown ? refuse() : db.exec(sql)),
    transaction: ((fn: Parameters<Db['transaction']>[0]) =>
      isDown ? refuse() : db.transaction(fn)) as Db['transaction'],
    close: () => db.close(),
  };
  return { db: wrapped, down: (on) => (isDown = on) };
}

const itemUpdate = (titleId: string) => {
  const doc = new Y.Doc();
  addToWatchlist(doc, titleId, 'phone');
  return Y.encodeStateAsUpdate(doc);
};

/**
 * Found by the soak (issue 17): a write that failed while PostgreSQL restarted dropped the user's
 * room from memory, and the devices still connected to it heard nothing more until they reconnected.
 */
for (const backend of testBackends()) {
  describe(`a failed write keeps connected devices in the room (${backend})`, () => {
    test('after the database comes back, the next edits reach the device that stayed connected', async () => {
      const real = await freshDb(backend);
      const { db, down } = switchableDb(real);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger, antiEntropyMs: 0 });
      try {
        const frames: ServerMessage[] = [];
        const tv: HubPeer = { deviceId: 'tv', deliver: (m) => frames.push(m) };
        hub.join('u1', tv, await hub.room('u1'));

        down(true);
        await assert.rejects(hub.applyUpdate('u1', itemUpdate('mg_aaaaaaaaaaaa'), null));
        down(false);

        await hub.applyUpdate('u1', itemUpdate('mg_bbbbbbbbbbbb'), null);
        await hub.edit('u1', (doc) => addToWatchlist(doc, 'mg_cccccccccccc', 'server'));
        const received = new Y.Doc();
        for (const f of frames) if (f.type === 'update') Y.applyUpdate(received, Buffer.from(f.update, 'base64'));
        assert.deepEqual(
          readWatchlist(received)
            .map((i) => i.titleId)
            .sort(),
          ['mg_bbbbbbbbbbbb', 'mg_cccccccccccc'],
          'the device got both edits made after the outage',
        );
        assert.deepEqual(await hub.online('u1'), ['tv'], 'and is still counted online');
      } finally {
        await hub.close();
        await real.close();
      }
    });

    test('the room is reloaded by the next anti-entropy pass, so an append that did commit is not missed', async () => {
      const real = await freshDb(backend);
      const { db, down } = switchableDb(real);
      const hub = new SyncHub({ db, bus: memoryBus(), logger: noopLogger, antiEntropyMs: 0 });
      try {
        const frames: ServerMessage[] = [];
        hub.join('u1', { deviceId: 'tv', deliver: (m) => frames.push(m) }, await hub.room('u1'));
        // Stored behind the hub's back (as when the commit succeeded but its answer was lost)…
        await hub.store.append('u1', itemUpdate('mg_dddddddddddd'));
        down(true);
        await assert.rejects(hub.applyUpdate('u1', itemUpdate('mg_eeeeeeeeeeee'), null));
        down(false);
        assert.equal(await hub.antiEntropy(), 1, 'the failed room is reloaded');
        assert.deepEqual(
          readWatchlist((await hub.room('u1')).doc).map((i) => i.titleId),
          ['mg_dddddddddddd'],
        );
        assert.ok(
          frames.some((f) => f.type === 'update'),
          'and the device is sent what it missed',
        );
      } finally {
        await hub.close();
        await real.close();
      }
    });

    test('a catch-up after the bus returns, database still down, ends nothing; anti-entropy repairs', async () => {
      // Found by the soak: Redis came back while PostgreSQL restarted, the catch-up's reload was refused, and the
      // rejection (which nothing awaits) ended the replica.
      const real = await freshDb(backend);
      const { db, down } = switchableDb(real);
      let busReturned = () => {};
      const bus = {
        ...memoryBus(),
        onReconnect: (handler: () => void) => {
          busReturned = handler;
        },
      };
      const hub = new SyncHub({ db, bus, logger: noopLogger, antiEntropyMs: 0 });
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const frames: ServerMessage[] = [];
        hub.join('u1', { deviceId: 'tv', deliver: (m) => frames.push(m) }, await hub.room('u1'));
        // Written by another process while the bus was away.
        await hub.store.append('u1', itemUpdate('mg_ffffffffffff'));
        down(true);
        busReturned();
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(unhandled, [], 'the failed reload did not escape');
        down(false);
        assert.equal(await hub.antiEntropy(), 1, 'the next pass reloads the room');
        assert.deepEqual(
          readWatchlist((await hub.room('u1')).doc).map((i) => i.titleId),
          ['mg_ffffffffffff'],
        );
        assert.ok(frames.some((f) => f.type === 'update'));
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await hub.close();
        await real.close();
      }
    });
  });
}
