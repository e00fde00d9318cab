import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import {
  eventually,
  freshDb,
  redisUrl,
  runSyncBusContract,
  type SyncDeployment,
  uniqueName,
} from '@media-gateway/testkit';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import {
  addToWatchlist,
  type BusEnvelope,
  memoryBus,
  readWatchlist,
  redisBus,
  SyncHub,
  type SyncBus,
} from '../src/index.ts';

/**
 * Every sync bus against the contract in @media-gateway/testkit (contracts/sync-bus.ts): a deployment
 * on the in-memory bus is one process; on Redis it is two hubs sharing a channel unique to this run.
 * The hubs share one PGlite database, as processes share PostgreSQL.
 */
const redis = redisUrl();

function updateAdding(titleId: string): Uint8Array {
  const d = new Y.Doc();
  addToWatchlist(d, titleId, 'contract', 1);
  return Y.encodeStateAsUpdate(d);
}

async function deployment(db: Db, buses: SyncBus[]): Promise<SyncDeployment<Awaited<ReturnType<SyncHub['room']>>>> {
  const hubs = buses.map((bus) => new SyncHub({ db, bus, logger: noopLogger }));
  return {
    hubs,
    updateAdding,
    watchlist: (hub, userId) => (hub as SyncHub).read(userId, (doc) => readWatchlist(doc).map((i) => i.titleId)),
    async close() {
      for (const hub of hubs) await hub.close();
      await db.close();
    },
  };
}

runSyncBusContract('memory bus (one process)', async () => deployment(await freshDb('pglite'), [memoryBus()]));

describe('sync bus contract on Redis', { skip: redis.skip }, () => {
  runSyncBusContract('Redis bus (two processes)', async () => {
    const channel = uniqueName('mg:test:sync');
    const buses = [await redisBus({ url: redis.url!, channel }), await redisBus({ url: redis.url!, channel })];
    return deployment(await freshDb('pglite'), buses);
  });
});

describe('Redis bus on its own (not in the shared contract: the memory bus forwards nothing)', {
  skip: redis.skip,
}, () => {
  const channel = uniqueName('mg:test:sync');
  let a: SyncBus;
  let b: SyncBus;
  let elsewhere: SyncBus;
  let raw: Redis;
  const atB: BusEnvelope[] = [];
  const atElsewhere: BusEnvelope[] = [];
  before(async () => {
    a = await redisBus({ url: redis.url!, channel });
    b = await redisBus({ url: redis.url!, channel });
    elsewhere = await redisBus({ url: redis.url!, channel: `${channel}:other` });
    b.subscribe((e) => atB.push(e));
    elsewhere.subscribe((e) => atElsewhere.push(e));
    raw = new Redis(redis.url!);
  });
  after(async () => {
    await Promise.all([a.close(), b.close(), elsewhere.close()]);
    raw.disconnect();
  });

  test('reports its kind and is up once connected', () => {
    assert.equal(a.kind, 'redis');
    assert.equal(a.isUp(), true);
  });

  test('an envelope crosses to another bus on the channel, unchanged, and not to another channel', async () => {
    const envelope: BusEnvelope = { from: 'p1', message: { kind: 'presence', userId: 'u1', devices: ['tv'] } };
    a.publish(envelope);
    assert.ok(await eventually(() => atB.length > 0), 'delivered');
    assert.deepEqual(atB.at(-1), envelope);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(atElsewhere.length, 0, 'another channel hears nothing');
  });

  test('malformed messages on the channel are ignored, later ones still arrive', async () => {
    const before = atB.length;
    await raw.publish(channel, '{not json');
    a.publish({ from: 'p1', message: { kind: 'handoff', userId: 'u1', deviceId: 'tv', handoffId: 'h1' } });
    assert.ok(await eventually(() => atB.length === before + 1));
    assert.equal(atB.at(-1)?.message.kind, 'handoff');
  });

  test('close is idempotent, turns isUp false, and publishing afterwards does not throw', async () => {
    const c = await redisBus({ url: redis.url!, channel, onError: () => {} });
    await c.close();
    await c.close();
    assert.ok(await eventually(() => !c.isUp()), 'down after close');
    assert.doesNotThrow(() => c.publish({ from: 'p9', message: { kind: 'presence', userId: 'u', devices: [] } }));
  });
});
