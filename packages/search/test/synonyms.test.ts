import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { synonyms } from '../src/understand/synonyms.ts';

describe('WordNet synonyms (query expansion, off by default: decision 0053)', () => {
  it('finds first-sense noun/adjective synonyms, plurals through their lemma, never verb senses', () => {
    assert.ok(synonyms('robot').includes('automaton'));
    assert.ok(synonyms('robots').includes('automaton'));
    assert.ok(synonyms('funny').includes('comical'));
    assert.ok(!synonyms('dog').includes('chase'));
    assert.deepEqual(synonyms('zorblax'), []);
  });
});
