import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownMaturityLabel, normalizeMaturity } from '../src/index.ts';

describe('maturity ratings → minimum age', () => {
  test('each system maps to the documented minimum age', () => {
    const cases: Array<[string, string, number | null]> = [
      ['G', 'us-mpaa', 0],
      ['PG', 'us-mpaa', 10],
      ['PG-13', 'us-mpaa', 13],
      ['R', 'us-mpaa', 17],
      ['NC-17', 'us-mpaa', 18],
      ['TV-Y', 'us-tv', 0],
      ['TV-Y7', 'us-tv', 7],
      ['TV-Y7-FV', 'us-tv', 7],
      ['TV-G', 'us-tv', 0],
      ['TV-PG', 'us-tv', 10],
      ['TV-14', 'us-tv', 14],
      ['TV-MA', 'us-tv', 17],
      ['ALL', 'age-band', 0],
      ['7+', 'age-band', 7],
      ['13+', 'age-band', 13],
      ['16+', 'age-band', 16],
      ['AGES_16_', 'age-band', 16],
      ['18+', 'age-band', 18],
      ['AGES_18_', 'age-band', 18],
      ['NR', 'unrated', null],
      ['UNRATED', 'unrated', null],
    ];
    for (const [label, system, minAge] of cases)
      assert.deepEqual(normalizeMaturity(label), { label, system, minAge }, label);
  });

  test('labels are trimmed and upper-cased; NOT_RATE is spelled NOT RATED', () => {
    assert.deepEqual(normalizeMaturity(' tv-ma '), { label: 'TV-MA', system: 'us-tv', minAge: 17 });
    assert.deepEqual(normalizeMaturity('not_rate'), { label: 'NOT RATED', system: 'unrated', minAge: null });
    assert.equal(normalizeMaturity('Not Rated')?.label, 'NOT RATED');
  });

  test('ages are ordered the way a parent would expect', () => {
    const age = (l: string) => normalizeMaturity(l)!.minAge!;
    assert.ok(age('G') < age('PG') && age('PG') < age('PG-13') && age('PG-13') < age('R') && age('R') < age('NC-17'));
    assert.ok(age('TV-Y') < age('TV-Y7') && age('TV-Y7') < age('TV-PG') && age('TV-PG') < age('TV-14'));
    assert.ok(age('TV-14') < age('TV-MA'));
  });

  test('empty and unknown labels are undefined (the caller records a row problem)', () => {
    for (const raw of [undefined, null, '', '   ', 'PG13', 'X', 'FSK 16', '12A'])
      assert.equal(normalizeMaturity(raw), undefined, String(raw));
    assert.equal(isKnownMaturityLabel('pg-13'), true);
    assert.equal(isKnownMaturityLabel('PG13'), false);
  });
});
