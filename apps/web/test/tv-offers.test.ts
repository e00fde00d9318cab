import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OfferView, TitleDetails } from '../src/api/types.ts';
import { tvOffers } from '../src/tv/tv-offers.tsx';

const offer = (platform: string, url: string | null, isStale: boolean): OfferView =>
  ({
    platform,
    platformName: platform,
    region: 'US',
    monetization: 'subscription',
    url,
    urlKind: url === null ? 'none' : 'direct',
    age: isStale ? 'as of 2025-06-01' : 'seen today',
    isStale,
    lastSeen: null,
    source: 'test',
  }) as unknown as OfferView;

test('on the TV, offers that can be opened come before names without a link, even fresh ones', () => {
  const unlinked = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => offer(`channel-${p}`, null, false));
  const playable = offer('netflix', 'https://www.netflix.com/title/1', true);
  const title = { offers: { US: Object.fromEntries([...unlinked, playable].map((o) => [o.platform, [o]])) } };
  const order = tvOffers(title as unknown as TitleDetails).map((o) => o.platform);
  assert.equal(order[0], 'netflix', order.join(','));
});
