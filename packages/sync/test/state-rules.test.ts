import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  addToWatchlist,
  HybridClock,
  readProgress,
  readWatchlist,
  removeFromWatchlist,
  setProgress,
  snapshotJson,
} from '../src/index.ts';

const T = ['mg_aaaaaaaaaaaa', 'mg_bbbbbbbbbbbb', 'mg_cccccccccccc', 'mg_dddddddddddd'];

function replica(clientID: number): Y.Doc {
  const d = new Y.Doc();
  d.clientID = clientID;
  return d;
}
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('state rules', () => {
  test('[S1] a concurrent add and remove of the same title leaves it in, whichever client id is higher', () => {
    for (const [ida, idb] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const a = replica(ida);
      const b = replica(idb);
      addToWatchlist(a, T[0]!, 'a', 1);
      sync(a, b);
      removeFromWatchlist(a, T[0]!);
      addToWatchlist(b, T[0]!, 'b', 2);
      sync(a, b);
      assert.deepEqual(
        readWatchlist(a).map((i) => i.titleId),
        [T[0]],
      );
      assert.deepEqual(
        readWatchlist(b).map((i) => i.titleId),
        [T[0]],
      );
    }
  });

  test('[S3] progress: the later real edit wins even from the lower client id (HLC, not client id)', () => {
    let now = 1_000;
    const a = replica(999_999); // higher client id: yjs alone would pick a
    const b = replica(1);
    const ca = new HybridClock('a', () => now);
    const cb = new HybridClock('b', () => now);
    setProgress(a, T[0]!, 'a', { positionSeconds: 100, durationSeconds: null, hlc: ca.tick() });
    now += 5;
    setProgress(b, T[0]!, 'b', { positionSeconds: 300, durationSeconds: null, hlc: cb.tick() });
    sync(a, b);
    assert.equal(readProgress(a).get(T[0]!)?.positionSeconds, 300);
    assert.equal(readProgress(b).get(T[0]!)?.deviceId, 'b');
  });

  test('[S4] an edit made after seeing another sorts after it even when the device clock runs behind', () => {
    const fast = new HybridClock('fast', () => 10_000);
    const slow = new HybridClock('slow', () => 5_000);
    const seen = fast.tick();
    slow.observe(seen);
    assert.ok(slow.tick() > seen);
    // A timestamp far in the future is clamped when observed (MAX_CLOCK_SKEW_MS).
    const c = new HybridClock('c', () => 0);
    c.observe(`${'9'.repeat(15)}:000000:x`);
    assert.ok(c.tick() < '000001000000000');
  });

  test(
    '[S7] random concurrent operations on 3+ replicas with delays, ' +
      'duplicates and reordering converge; S1 and S3 hold',
    () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('add' as const), replica: fc.nat(3), title: fc.nat(3) }),
        fc.record({ kind: fc.constant('remove' as const), replica: fc.nat(3), title: fc.nat(3) }),
        fc.record({
          kind: fc.constant('progress' as const),
          replica: fc.nat(3),
          title: fc.nat(3),
          pos: fc.nat(10_000),
          advance: fc.nat(50),
        }),
        fc.record({
          kind: fc.constant('deliver' as const),
          replica: fc.nat(3),
          pick: fc.nat(),
          duplicate: fc.boolean(),
        }),
      );
      fc.assert(
        fc.property(
          fc.array(op, { maxLength: 60 }),
          fc.array(fc.nat(1_000_000), { minLength: 4, maxLength: 4 }),
          (ops, ids) => {
            let now = 1_000;
            const docs = ids.map((id, i) => replica(id * 4 + i + 1));
            const clocks = docs.map((_, i) => new HybridClock(`r${i}`, () => now));
            // Each replica's outgoing updates sit in a queue per receiver, delivered in random order.
            const inbox: Uint8Array[][] = docs.map(() => []);
            for (const [i, d] of docs.entries()) {
              d.on('update', (u: Uint8Array, origin: unknown) => {
                if (origin === 'net') return;
                for (let j = 0; j < docs.length; j++) if (j !== i) inbox[j]!.push(u);
              });
            }
            let latest: { title: string; pos: number; hlc: string } | undefined;
            const latestByTitle = new Map<string, { pos: number; hlc: string }>();
            for (const o of ops) {
              const d = docs[o.replica]!;
              if (o.kind === 'add') addToWatchlist(d, T[o.title]!, `r${o.replica}`, now);
              else if (o.kind === 'remove') removeFromWatchlist(d, T[o.title]!);
              else if (o.kind === 'progress') {
                now += o.advance;
                // Observe what this replica has seen, as the client does on every remote update.
                for (const [, p] of readProgress(d)) clocks[o.replica]!.observe(p.hlc);
                const hlc = clocks[o.replica]!.tick();
                setProgress(d, T[o.title]!, `r${o.replica}`, { positionSeconds: o.pos, durationSeconds: null, hlc });
                latest = { title: T[o.title]!, pos: o.pos, hlc };
                const prev = latestByTitle.get(T[o.title]!);
                if (!prev || hlc > prev.hlc) latestByTitle.set(T[o.title]!, { pos: o.pos, hlc });
              } else {
                const q = inbox[o.replica]!;
                if (q.length === 0) continue;
                const i = o.pick % q.length;
                const u = q[i]!;
                if (!o.duplicate) q.splice(i, 1);
                Y.applyUpdate(d, u, 'net');
              }
            }
            // Drain everything (in reverse order, to reorder once more), then compare.
            for (let j = 0; j < docs.length; j++)
              for (const u of inbox[j]!.reverse()) Y.applyUpdate(docs[j]!, u, 'net');
            // Deep equality ignores key order, which differs between replicas (yjs map insertion order).
            const first = snapshotJson(docs[0]!);
            for (const d of docs) assert.deepStrictEqual(snapshotJson(d), first);
            // S3: the resolved progress per title is the edit with the greatest HLC.
            for (const [title, want] of latestByTitle)
              assert.equal(readProgress(docs[0]!).get(title)?.positionSeconds, want.pos);
            void latest;
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  test('[S1] property: a re-add concurrent with any number of removes always survives', () => {
    fc.assert(
      fc.property(fc.nat(3), fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }), (title, removers) => {
        const docs = [replica(10), replica(20), replica(30), replica(40)];
        addToWatchlist(docs[0]!, T[title]!, 'x', 1);
        for (const d of docs.slice(1)) sync(docs[0]!, d);
        for (const r of removers) removeFromWatchlist(docs[r]!, T[title]!);
        addToWatchlist(docs[3]!, T[title]!, 'y', 2);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (i !== j) sync(docs[i]!, docs[j]!);
        for (const d of docs) assert.ok(readWatchlist(d).some((i) => i.titleId === T[title]));
      }),
      { numRuns: 200 },
    );
  });
});
