import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSearchWorkers, thisMachine } from '../src/search-offload.ts';

const GIB = 1024 ** 3;

test('search workers by default: one per core and per 4 GiB, at most 2, none on one core', () => {
  assert.equal(defaultSearchWorkers({ cores: 2, memoryBytes: 24 * GIB }), 2);
  assert.equal(defaultSearchWorkers({ cores: 16, memoryBytes: 64 * GIB }), 2);
  assert.equal(defaultSearchWorkers({ cores: 1, memoryBytes: 24 * GIB }), 0);
  // A small machine, or a container limited as the Kubernetes API pods are (1,536 MiB): none.
  assert.equal(defaultSearchWorkers({ cores: 2, memoryBytes: 6 * GIB }), 1);
  assert.equal(defaultSearchWorkers({ cores: 2, memoryBytes: 1.5 * GIB }), 0);
});

test('this machine: its cores and no more memory than it has', () => {
  const m = thisMachine();
  assert.ok(m.cores >= 1);
  assert.ok(m.memoryBytes > 0 && m.memoryBytes <= 2 ** 53);
});
