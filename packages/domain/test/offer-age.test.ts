import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AgedOffer, type ComparableOffer, distinctOffers, oldestOfferAge } from '../src/contracts/offer-age.ts';

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

describe('distinctOffers', () => {
  const offer = (o: Partial<ComparableOffer> & { source?: string }) => ({
    platform: 'disney-plus',
    region: 'US',
    monetization: 'subscription',
    price: null,
    currency: null,
    quality: null,
    urlKind: 'search',
    lastSeen: null,
    age: 'as of unknown',
    isStale: true,
    ...o,
  });

  test('the same subscription from two sources is one row: the better link, then the later sighting', () => {
    const sample = offer({ source: 'sample', lastSeen: '2025-06-01T00:00:00Z' });
    const file = offer({ source: 'catalog-csv:disney-plus' });
    const direct = offer({ source: 'justwatch', urlKind: 'direct' });
    assert.deepEqual(distinctOffers([sample, file]), [sample]);
    assert.deepEqual(distinctOffers([sample, file, direct]), [direct]);
  });

  test('a fresh offer beats a stale one whatever its link, and the kept row carries the earliest end date', () => {
    const staleDirect = offer({ urlKind: 'direct', isStale: true, availableUntil: '2031-01-31T00:00:00.000Z' });
    const freshSearch = offer({ isStale: false, lastSeen: '2031-01-01T00:00:00Z', age: 'seen today' });
    const [kept] = distinctOffers([staleDirect, freshSearch]);
    assert.equal(kept?.urlKind, 'search');
    assert.equal(kept?.availableUntil, '2031-01-31T00:00:00.000Z', 'the badge a card shows stays on the row');
  });

  test('offers a person can tell apart stay: another service, region, way to pay, price or quality', () => {
    const list = [
      offer({}),
      offer({ platform: 'hulu' }),
      offer({ region: 'GB' }),
      offer({ monetization: 'rent', price: 3.99, currency: 'USD' }),
      offer({ monetization: 'rent', price: 4.99, currency: 'USD' }),
      offer({ monetization: 'rent', price: 4.99, currency: 'USD', quality: '4K' }),
    ];
    assert.deepEqual(distinctOffers(list), list);
  });
});
