import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeAdapter, encodeAdapter, MAX_ADAPTER_BYTES } from '../src/adapter-codec.ts';
import { MAX_HISTORY, UserAdapter } from '../src/user-adapter.ts';
import { genreCatalog, lookupOf } from './test-items.ts';

describe('adapter codec', () => {
  test('a full adapter (MAX_HISTORY entries with real-length title ids) round-trips under 64 KB', () => {
    const items = genreCatalog(5);
    const lookup = lookupOf(items);
    const a = new UserAdapter('u1');
    // Real title ids are "mg_" + 12 characters; fill the history to its cap with ids of that length.
    for (let k = 0; k < MAX_HISTORY + 50; k++)
      a.update({ type: 'complete', titleId: `mg_${String(k).padStart(12, '0')}`, at: 1_000 + k }, lookup);
    for (const id of items.ids.slice(0, 30)) a.update({ type: 'like', titleId: id, at: 10_000 }, lookup);
    assert.equal(a.history.size, MAX_HISTORY);
    const bytes = encodeAdapter(a);
    assert.ok(bytes.byteLength <= MAX_ADAPTER_BYTES, `${bytes.byteLength} bytes`);
    const b = decodeAdapter('u1', bytes)!;
    assert.ok(b);
    assert.deepEqual([...b.theta], [...a.theta]);
    assert.deepEqual([...b.fisher], [...a.fisher]);
    assert.deepEqual([...b.anchor], [...a.anchor]);
    assert.equal(b.events, a.events);
    assert.equal(b.sinceConsolidation, a.sinceConsolidation);
    assert.deepEqual([...b.history.keys()], [...a.history.keys()], 'history order (oldest first) survives');
    const [id, h] = [...a.history.entries()].at(-1)!;
    assert.equal(b.history.get(id)!.excluded, h.excluded);
    assert.ok(Math.abs(b.history.get(id)!.weight - h.weight) < 1e-6);
  });

  test('ids too long for the budget: the oldest history entries are dropped, the weights kept', () => {
    const a = new UserAdapter('u2');
    for (let k = 0; k < MAX_HISTORY; k++)
      a.history.set(`${'x'.repeat(200)}-${k}`, { weight: 1, at: k, excluded: true });
    const bytes = encodeAdapter(a);
    assert.ok(bytes.byteLength <= MAX_ADAPTER_BYTES, `${bytes.byteLength} bytes`);
    const b = decodeAdapter('u2', bytes)!;
    assert.ok(b.history.size < MAX_HISTORY && b.history.size > 100);
    assert.equal([...b.history.keys()].at(-1), [...a.history.keys()].at(-1), 'the newest entry is kept');
  });

  test('bytes of another layout decode to undefined (the person starts fresh)', () => {
    assert.equal(decodeAdapter('u3', new Uint8Array([1, 2, 3])), undefined);
    const bytes = encodeAdapter(new UserAdapter('u3'));
    bytes[6] = 99; // content dimension
    assert.equal(decodeAdapter('u3', bytes), undefined);
  });
});
