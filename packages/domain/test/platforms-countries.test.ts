import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  directLink,
  findPlatform,
  getPlatform,
  PLATFORMS,
  REGION_PATTERN,
  searchLink,
  toCountryCode,
} from '../src/index.ts';

describe('platform registry', () => {
  test('ids and aliases are unique, regions are ISO codes, templates are https', () => {
    const ids = PLATFORMS.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    const owner = new Map<string, string>();
    for (const p of PLATFORMS) {
      for (const alias of [p.id, p.name.toLowerCase(), ...p.aliases]) {
        const before = owner.get(alias);
        assert.ok(before === undefined || before === p.id, `"${alias}" names both ${before} and ${p.id}`);
        owner.set(alias, p.id);
      }
      // Regions and a search page are listed only where known (decision 0073).
      for (const r of p.regions) assert.match(r, REGION_PATTERN);
      if (p.searchTemplate) assert.match(p.searchTemplate, /^https:\/\/[^ ]+\{q\}/);
      if (p.nativeTemplate) assert.match(p.nativeTemplate, /^https:\/\/[^ ]+\{id\}/);
    }
  });

  test('what people type resolves to the platform', () => {
    assert.equal(findPlatform('Disney Plus')?.id, 'disney-plus');
    assert.equal(findPlatform('  AMAZON   prime  ')?.id, 'prime-video');
    assert.equal(findPlatform('HBO Max')?.id, 'max');
    assert.equal(findPlatform('Apple TV+')?.id, 'apple-tv-plus');
    assert.equal(findPlatform('netflix')?.name, 'Netflix');
    assert.equal(findPlatform('Blockbuster'), undefined);
    assert.equal(getPlatform('netflix')?.id, 'netflix');
    assert.equal(getPlatform('Netflix'), undefined, 'getPlatform takes the id only');
  });

  test('search links encode the title and never pretend to be the title page', () => {
    const netflix = getPlatform('netflix')!;
    assert.equal(
      searchLink(netflix, 'Tom & Jerry: 100% #1?'),
      'https://www.netflix.com/search?q=Tom%20%26%20Jerry%3A%20100%25%20%231%3F',
    );
  });

  test('direct links come only from a native id, with the platform’s own words for the kind and region', () => {
    assert.equal(directLink(getPlatform('netflix')!, '80100172', 'series'), 'https://www.netflix.com/title/80100172');
    assert.equal(directLink(getPlatform('hulu')!, 'abc', 'series'), 'https://www.hulu.com/series/abc');
    assert.equal(
      directLink(getPlatform('apple-tv-plus')!, 'umc.cmc.1', 'series', 'GB'),
      'https://tv.apple.com/gb/show/umc.cmc.1',
    );
    assert.equal(
      directLink(getPlatform('apple-tv-plus')!, 'umc.cmc.2', 'movie'),
      'https://tv.apple.com/us/movie/umc.cmc.2',
    );
    assert.equal(
      directLink(getPlatform('youtube')!, 'a/b?c', 'movie'),
      'https://www.youtube.com/watch?v=a%2Fb%3Fc',
      'the id cannot break out of its slot',
    );
    assert.equal(directLink(getPlatform('peacock')!, '123', 'movie'), undefined, 'no template: no direct link');
  });
});

describe('countries', () => {
  test('names as sources spell them, and codes in any case, become ISO alpha-2', () => {
    assert.equal(toCountryCode('United States'), 'US');
    assert.equal(toCountryCode(' united kingdom '), 'GB');
    assert.equal(toCountryCode('Türkiye'), 'TR');
    assert.equal(toCountryCode('West Germany'), 'DE');
    assert.equal(toCountryCode('East Germany'), 'DD');
    assert.equal(toCountryCode('Soviet Union'), 'SU');
    assert.equal(toCountryCode('usa'), 'US');
    assert.equal(toCountryCode('us'), 'US');
    assert.equal(toCountryCode('De'), 'DE');
    assert.equal(toCountryCode('Narnia'), undefined);
    assert.equal(toCountryCode('   '), undefined);
    assert.equal(toCountryCode('U.S.'), undefined);
  });

  test('"UK", the name the table maps to GB, becomes GB', () => {
    assert.equal(toCountryCode('UK'), 'GB');
  });

  test('two letters that are no country are refused', () => {
    assert.equal(toCountryCode('ZZ'), undefined);
  });
});
