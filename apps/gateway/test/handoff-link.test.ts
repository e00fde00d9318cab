import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OfferView } from '@media-gateway/catalog';
import { pickLink } from '../src/routes/devices.ts';

const offer = (platform: string, region = 'US', urlKind: 'direct' | 'search' = 'search'): OfferView =>
  ({
    platform,
    platformName: platform,
    region,
    monetization: 'subscription',
    price: null,
    currency: null,
    quality: null,
    url: `https://${platform}.example/t`,
    urlKind,
    appUrl: null,
    availableFrom: null,
    availableUntil: null,
    source: 'test',
    lastSeen: '2026-12-01T00:00:00.000Z',
    age: 'seen 6 days ago',
    isStale: false,
  }) as OfferView;

test('a handoff opens the title on a service the person has, before another in their region', () => {
  const offers = { US: { hulu: [offer('hulu')], peacock: [offer('peacock')] } };
  assert.equal(pickLink(offers, 'US')?.platform, 'hulu', 'without services: the first by name');
  assert.equal(pickLink(offers, 'US', undefined, ['peacock'])?.platform, 'peacock');
  // The region still comes first: a service of theirs abroad does not open here.
  const abroad = { US: { hulu: [offer('hulu')] }, GB: { peacock: [offer('peacock', 'GB', 'direct')] } };
  assert.equal(pickLink(abroad, 'US', undefined, ['peacock'])?.platform, 'hulu');
  // An asked platform is the only one considered.
  assert.equal(pickLink(offers, 'US', 'hulu', ['peacock'])?.platform, 'hulu');
});
