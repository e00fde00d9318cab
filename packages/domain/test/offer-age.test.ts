import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AgedOffer, oldestOfferAge } from '../src/contracts/offer-age.ts';

const offer = (platform: string, lastSeen: string | null, age: string, isStale = false): AgedOffer => ({
  platform,
  lastSeen,
  age,
  isStale,
});

describe('oldestOfferAge', () => {
  test('no offers: nothing to say', () => {
    assert.equal(oldestOfferAge([]), undefined);
    assert.equal(oldestOfferAge([offer('netflix', null, 'as of unknown', true)], ['hulu']), undefined);
  });

  test('across platforms the oldest wins; within one platform its freshest offer counts', () => {
    const offers = [
      offer('netflix', '2026-12-01T00:00:00.000Z', 'seen 5 days ago'),
      offer('hulu', '2021-09-25T00:00:00.000Z', 'as of 2021-09-25', true),
      offer('hulu', '2026-12-06T00:00:00.000Z', 'seen today'),
    ];
    assert.deepEqual(oldestOfferAge(offers), { age: 'seen 5 days ago', isStale: false });
    assert.deepEqual(oldestOfferAge(offers, ['hulu']), { age: 'seen today', isStale: false });
  });

  test('an offer whose source never said is the oldest, and stale', () => {
    const offers = [
      offer('netflix', '2026-12-06T00:00:00.000Z', 'seen today'),
      offer('max', null, 'as of unknown', true),
    ];
    assert.deepEqual(oldestOfferAge(offers), { age: 'as of unknown', isStale: true });
    assert.deepEqual(oldestOfferAge(offers, ['netflix']), { age: 'seen today', isStale: false });
  });
});
