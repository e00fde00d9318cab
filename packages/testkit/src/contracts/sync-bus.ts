import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContractOptions } from './options.ts';
import { eventually } from './options.ts';

/** A connection as the hub sees it (`HubPeer` in `@media-gateway/sync`). */
export interface ContractPeer {
  readonly deviceId: string;
  deliver(message: { type: string; [field: string]: unknown }): void;
}

/** The parts of `SyncHub` the contract drives (structural: testkit does not depend on sync). */
export interface ContractHub<R = unknown> {
  readonly processId: string;
  readonly bus: { readonly kind: string; isUp(): boolean };
  room(userId: string): Promise<R>;
  join(userId: string, peer: ContractPeer, room: R): void;
  leave(userId: string, peer: ContractPeer): void;
  applyUpdate(userId: string, update: Uint8Array, origin: ContractPeer | null): Promise<void>;
  online(userId: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface SyncDeployment<R = unknown> {
  /**
   * The gateway processes of one deployment, each a hub on the bus under test, sharing one
   * database: one process for the in-memory bus (it forwards nothing, by design), two for Redis.
   */
  hubs: ReadonlyArray<ContractHub<R>>;
  /** A valid sync update that puts `titleId` on the watchlist. */
  updateAdding(titleId: string): Uint8Array;
  /** The title ids on the person's watchlist, as `hub` holds them in memory. */
  watchlist(hub: ContractHub<R>, userId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The sync-bus contract, at the level where it means something: the `SyncHub` running on a given
 * `SyncBus`. The bus itself has no common observable behaviour: `memoryBus()` is a no-op by design
 * (one process, the hub already delivered locally) while `redisBus()` forwards between processes.
 * What every bus must give is that a deployment, however many processes it has, behaves like one
 * hub. The factory returns the deployment's processes; devices are placed on the first and on the
 * last one, which is the same hub for the memory bus and two hubs for Redis.
 *
 * Checked: an update from one device reaches the person's other devices (wherever connected) once,
 * never echoes back to its sender, and is in every process's in-memory state; a process ignores its
 * own messages coming back from the bus (no device gets an update twice); another person sees
 * nothing; presence lists a person's devices on every process and drops one that leaves; a fresh
 * bus is up; closing a hub is idempotent.
 *
 * Redis only, tested beside it (packages/sync/test/sync-bus.contract.test.ts): envelopes cross
 * between buses on one channel and not across channels, malformed messages are ignored, publishing
 * never throws (also after close), `isUp()` turns false after close.
 */
export function runSyncBusContract<R>(
  name: string,
  makeDeployment: () => Promise<SyncDeployment<R>>,
  options: ContractOptions = {},
): void {
  let seq = 0;
  const unique = (label: string) => `${label}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
  // Title ids are mg_ + 12 base32 characters; spell the counter in letters.
  const title = (i: number) =>
    `mg_${Array.from({ length: 12 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).join('')}`;
  const it = (t: string, fn: (d: SyncDeployment<R>, first: ContractHub<R>, last: ContractHub<R>) => Promise<void>) =>
    test(t, { todo: options.todo?.[t] }, async () => {
      const d = await makeDeployment();
      try {
        assert.ok(d.hubs.length >= 1, 'a deployment has at least one process');
        await fn(d, d.hubs[0]!, d.hubs[d.hubs.length - 1]!);
      } finally {
        await d.close();
      }
    });

  function device(deviceId: string) {
    const frames: Array<{ type: string; [field: string]: unknown }> = [];
    const peer: ContractPeer = { deviceId, deliver: (m) => frames.push(m) };
    return { peer, frames, updates: () => frames.filter((f) => f.type === 'update') };
  }
  async function connect(hub: ContractHub<R>, userId: string, d: ReturnType<typeof device>) {
    hub.join(userId, d.peer, await hub.room(userId));
  }

  describe(`sync bus contract: ${name}`, () => {
    it('a fresh bus is up', async (d) => {
      for (const hub of d.hubs) assert.equal(hub.bus.isUp(), true);
      assert.equal(new Set(d.hubs.map((h) => h.processId)).size, d.hubs.length, 'each process has its own id');
    });

    it("an update reaches the person's other devices once and is not echoed to its sender", async (d, first, last) => {
      const user = unique('u');
      const phone = device('phone');
      const tv = device('tv');
      await connect(first, user, phone);
      await connect(last, user, tv);
      await first.applyUpdate(user, d.updateAdding(title(1)), phone.peer);
      assert.ok(await eventually(() => tv.updates().length > 0), 'the TV got the update');
      assert.deepEqual(await d.watchlist(last, user), [title(1)], "the TV's process holds the new state");
      assert.deepEqual(await d.watchlist(first, user), [title(1)]);
      await new Promise((r) => setTimeout(r, 150)); // room for a duplicate or an echo to arrive
      assert.equal(tv.updates().length, 1, 'exactly once');
      assert.equal(phone.updates().length, 0, 'the sender does not get its own update back');
    });

    it('a process ignores its own messages: a device by the sender gets each update once', async (d, first, last) => {
      const user = unique('u');
      const phone = device('phone');
      const laptop = device('laptop');
      const tv = device('tv');
      await connect(first, user, phone);
      await connect(first, user, laptop);
      await connect(last, user, tv);
      for (let i = 0; i < 3; i++) await first.applyUpdate(user, d.updateAdding(title(10 + i)), phone.peer);
      assert.ok(await eventually(() => tv.updates().length >= 3), 'the bus carried all three');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(laptop.updates().length, 3, 'the laptop on the sending process got each update once');
      assert.equal(tv.updates().length, 3);
      assert.deepEqual((await d.watchlist(first, user)).sort(), [title(10), title(11), title(12)].sort());
    });

    it('another person sees nothing', async (d, first, last) => {
      const alice = unique('alice');
      const bob = unique('bob');
      const alicePhone = device('phone');
      const bobTv = device('tv');
      await connect(first, alice, alicePhone);
      await connect(last, bob, bobTv);
      const aliceTv = device('tv');
      await connect(last, alice, aliceTv);
      await first.applyUpdate(alice, d.updateAdding(title(20)), alicePhone.peer);
      assert.ok(await eventually(() => aliceTv.updates().length > 0));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(bobTv.updates().length, 0, "Bob's device got none of Alice's updates");
      assert.deepEqual(await d.watchlist(last, bob), []);
    });

    it("presence lists the person's devices on every process and drops one that leaves", async (_d, first, last) => {
      const user = unique('u');
      const phone = device('phone');
      const tv = device('tv');
      await connect(first, user, phone);
      await connect(last, user, tv);
      for (const hub of [first, last])
        assert.ok(
          await eventually(async () => (await hub.online(user)).join() === 'phone,tv'),
          `process ${hub.processId} lists both devices (has ${(await hub.online(user)).join()})`,
        );
      assert.ok(
        await eventually(() => tv.frames.some((f) => f.type === 'presence' && String(f['online']) === 'phone,tv')),
        'the TV was told who is online',
      );
      first.leave(user, phone.peer);
      for (const hub of [first, last])
        assert.ok(
          await eventually(async () => (await hub.online(user)).join() === 'tv'),
          `process ${hub.processId} dropped the phone (has ${(await hub.online(user)).join()})`,
        );
    });

    it('closing a hub is idempotent', async (_d, first) => {
      await first.close();
      await first.close();
    });
  });
}
