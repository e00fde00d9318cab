import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  derivedProviderId,
  directLink,
  getPlatform,
  isDerivedProviderId,
  PLATFORMS,
  type ProviderSource,
  providerForSource,
  searchLink,
} from '../src/index.ts';

const SOURCES: Array<[ProviderSource, 'tmdb' | 'justwatch' | 'watchmode' | 'streamingAvailability']> = [
  ['tmdb', 'tmdb'],
  ['justwatch', 'justwatch'],
  ['watchmode', 'watchmode'],
  ['streaming-availability', 'streamingAvailability'],
];

describe('providers as data (issue 15, decision 0073)', () => {
  test('every source id maps to at most one provider, and back to the provider that lists it', () => {
    for (const [source, field] of SOURCES) {
      const owner = new Map<string, string>();
      for (const p of PLATFORMS) {
        for (const id of p.sourceIds[field] ?? []) {
          const before = owner.get(String(id));
          assert.equal(before, undefined, `${source} ${id} is listed by both ${before} and ${p.id}`);
          owner.set(String(id), p.id);
          const [service, type] = String(id).split('.');
          assert.equal(providerForSource(source, service!, type)?.id, p.id, `${source} ${id}`);
        }
      }
    }
  });

  test('the registry is larger than the first nine, with logos from the source that serves them', () => {
    assert.ok(PLATFORMS.length >= 35, `${PLATFORMS.length} providers`);
    for (const p of PLATFORMS) {
      assert.match(p.id, /^[a-z0-9][a-z0-9-]*$/);
      assert.ok(!isDerivedProviderId(p.id), `${p.id} looks like a derived id`);
      assert.match(p.homepage, /^https:\/\//);
      if (p.logo) assert.match(p.logo, /^https:\/\/image\.tmdb\.org\/t\/p\/original\/\w+\.(jpg|png)$/);
      assert.ok(['subscription', 'store', 'free'].includes(p.kind));
    }
    for (const id of ['crunchyroll', 'tubi', 'kanopy', 'criterion-channel', 'google-play', 'fandango-at-home'])
      assert.ok(getPlatform(id), id);
  });

  test("Apple's rent/buy store is not Apple TV+ (JustWatch 2, TMDb 2, Watchmode 349)", () => {
    assert.equal(providerForSource('tmdb', 2)?.id, 'apple-tv-store');
    assert.equal(providerForSource('justwatch', 2)?.id, 'apple-tv-store');
    assert.equal(providerForSource('watchmode', 349)?.id, 'apple-tv-store');
    assert.equal(providerForSource('tmdb', 350)?.id, 'apple-tv-plus');
    assert.equal(providerForSource('justwatch', 350)?.id, 'apple-tv-plus');
    // Streaming Availability names one service "apple": the offer type decides.
    assert.equal(providerForSource('streaming-availability', 'apple', 'subscription')?.id, 'apple-tv-plus');
    assert.equal(providerForSource('streaming-availability', 'apple', 'rent')?.id, 'apple-tv-store');
    assert.equal(providerForSource('streaming-availability', 'apple', 'buy')?.id, 'apple-tv-store');
    assert.equal(getPlatform('apple-tv-store')?.kind, 'store');
    assert.equal(getPlatform('apple-tv-plus')?.kind, 'subscription');
  });

  test("Amazon's store is not Prime Video; Paramount+ differs between TMDb and JustWatch", () => {
    assert.equal(providerForSource('tmdb', 10)?.id, 'amazon-video');
    assert.equal(providerForSource('watchmode', 24)?.id, 'amazon-video');
    assert.equal(providerForSource('tmdb', 9)?.id, 'prime-video');
    assert.equal(providerForSource('watchmode', 26)?.id, 'prime-video');
    assert.equal(providerForSource('streaming-availability', 'prime', 'rent')?.id, 'amazon-video');
    assert.equal(providerForSource('streaming-availability', 'prime', 'subscription')?.id, 'prime-video');
    assert.equal(providerForSource('tmdb', 531)?.id, 'paramount-plus');
    assert.equal(providerForSource('justwatch', 2303)?.id, 'paramount-plus');
    assert.equal(providerForSource('justwatch', 2616)?.id, 'paramount-plus');
    assert.equal(providerForSource('justwatch', 531), undefined, 'not a JustWatch id we can cite');
  });

  test('Max series links use /show/ (Max never says /series/)', () => {
    const max = getPlatform('max')!;
    assert.equal(directLink(max, 'abc-123', 'series'), 'https://play.hbomax.com/show/abc-123');
    assert.equal(directLink(max, 'abc-123', 'movie'), 'https://play.hbomax.com/movie/abc-123');
  });

  test('Paramount+ series links are /shows/{slug}/, movies /movies/video/{id}/', () => {
    const pp = getPlatform('paramount-plus')!;
    assert.equal(
      directLink(pp, 'star-trek-strange-new-worlds', 'series'),
      'https://www.paramountplus.com/shows/star-trek-strange-new-worlds/',
    );
    assert.equal(
      directLink(pp, 'wjQ4RChi6BHHu4MVTncppVuCwu44uq2Q', 'movie'),
      'https://www.paramountplus.com/movies/video/wjQ4RChi6BHHu4MVTncppVuCwu44uq2Q/',
    );
  });

  test('no link rule is invented: without a known template there is neither a direct nor a search link', () => {
    const kanopy = getPlatform('kanopy')!;
    assert.equal(directLink(kanopy, '123', 'movie'), undefined);
    assert.equal(searchLink(kanopy, 'Heat'), undefined);
    assert.equal(searchLink(getPlatform('apple-tv-store')!, 'Heat'), 'https://tv.apple.com/search?term=Heat');
  });

  test('a provider the registry does not know gets a stable id derived from the source’s own id', () => {
    assert.equal(providerForSource('tmdb', 1825), undefined, '"Max Amazon Channel" is a channel, not Max');
    assert.equal(derivedProviderId('tmdb', 1825), 'tmdb-provider-1825');
    assert.equal(derivedProviderId('justwatch', 2528), 'justwatch-package-2528');
    assert.equal(derivedProviderId('watchmode', 296), 'watchmode-source-296');
    assert.equal(derivedProviderId('streaming-availability', 'Curiosity Stream!'), 'sa-service-curiosity-stream');
    assert.equal(derivedProviderId('streaming-availability', '***'), undefined);
    assert.ok((derivedProviderId('streaming-availability', 'x'.repeat(80)) ?? '').length <= 40);
    assert.ok(isDerivedProviderId('tmdb-provider-1825'));
    assert.ok(!isDerivedProviderId('netflix'));
  });
});
