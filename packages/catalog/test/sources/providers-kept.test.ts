import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { ingest } from '../../src/pipeline/ingest.ts';
import { getTitle } from '../../src/queries/get-title.ts';
import type { Source } from '../../src/sources/source.ts';
import { mapTmdbMovie, tmdbOffers } from '../../src/sources/tmdb/tmdb-mapper.ts';
import { TmdbMovie } from '../../src/sources/tmdb/tmdb-types.ts';
import { watchmodeOffers } from '../../src/sources/watchmode/watchmode-mapper.ts';
import { fixture } from '../../testing/fixture-server.ts';

/**
 * Issue 15: no offer is dropped for a provider the registry does not know. "Max Amazon Channel"
 * (TMDb provider 1825) is a real row of TMDb's provider directory (id, name and logo path as TMDb
 * serves them); it is a Prime Video channel, not Max, so no registry entry claims it.
 */
const MAX_AMAZON_CHANNEL = {
  provider_id: 1825,
  provider_name: 'Max Amazon Channel',
  logo_path: '/7TVfqxyWGqaJZM715IPHTwtgcXo.jpg',
  display_priority: 40,
};

function matrixWithChannel(): TmdbMovie {
  const m = TmdbMovie.parse(JSON.parse(fixture('tmdb', 'movie-603.json')));
  const us = m['watch/providers']!.results['US']!;
  us.flatrate = [...(us.flatrate ?? []), MAX_AMAZON_CHANNEL];
  return m;
}

describe('offers on providers the registry does not know are kept (mappers)', () => {
  test('TMDb: an unmapped provider id becomes tmdb-provider-<id> with TMDb’s name and logo', () => {
    const offers = tmdbOffers(matrixWithChannel()['watch/providers']!.results['US'], 'US');
    assert.deepEqual(
      offers.map((o) => o.platform),
      ['max', 'tmdb-provider-1825', 'apple-tv-store'],
    );
    const channel = offers.find((o) => o.platform === 'tmdb-provider-1825');
    assert.equal(channel?.platformName, 'Max Amazon Channel');
    assert.equal(channel?.platformLogo, 'https://image.tmdb.org/t/p/original/7TVfqxyWGqaJZM715IPHTwtgcXo.jpg');
    assert.equal(
      offers.find((o) => o.platform === 'max')?.platformName,
      undefined,
      'registry names come from the registry',
    );
  });

  test('Watchmode: cited ids map, a registry name maps, anything else is kept under Watchmode’s id and name', () => {
    const row = (source_id: number, name: string, type = 'sub') => ({
      source_id,
      name,
      type,
      region: 'US',
      ios_url: 'Deeplinks available for paid plans only.',
      android_url: 'Deeplinks available for paid plans only.',
      web_url: null,
      format: 'HD',
      price: null,
    });
    const problems: Array<{ field: string; reason: string }> = [];
    const offers = watchmodeOffers(
      [row(349, 'iTunes', 'buy'), row(387, 'HBO MAX'), row(9999, 'Peacock'), row(296, 'Tubi TV', 'free')],
      'US',
      problems,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      offers.map((o) => [o.platform, o.platformName ?? null]),
      [
        ['apple-tv-store', null],
        ['max', null],
        ['peacock', null],
        ['watchmode-source-296', 'Tubi TV'],
      ],
    );
  });
});

for (const backend of testBackends()) {
  describe(`an unknown provider is stored and shown under its reported name, with no invented link (${backend})`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(backend);
    });
    after(async () => {
      await db.close();
    });

    test('the offer is kept; its name is the source’s; its link is none, labelled so', async () => {
      const { record } = mapTmdbMovie(matrixWithChannel(), 'US');
      const source: Source = {
        name: 'tmdb:US',
        async *read() {
          yield { file: 'tmdb', row: 1, record, problems: [] };
        },
      };
      const r = await ingest({ db, source });
      assert.equal(r.counts.problems, 0);
      assert.equal(r.counts.offersAdded, 3);
      const id = (
        await db.query<{ title_id: string }>(
          `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0133093'`,
        )
      ).rows[0]!.title_id;
      const t = await getTitle(db, id, { region: 'US' });
      const channel = t?.offers['US']?.['tmdb-provider-1825']?.[0];
      assert.equal(channel?.platformName, 'Max Amazon Channel');
      assert.equal(channel?.monetization, 'subscription');
      assert.equal(channel?.url, null);
      assert.equal(channel?.urlKind, 'none');
      const apple = t?.offers['US']?.['apple-tv-store']?.[0];
      assert.equal(apple?.platformName, 'Apple TV Store');
      assert.equal(apple?.urlKind, 'search');
      assert.equal(apple?.url, 'https://tv.apple.com/search?term=The%20Matrix');
      const stored = await db.query<{ name: string; logo_url: string }>(
        `SELECT name, logo_url FROM providers WHERE id = 'tmdb-provider-1825'`,
      );
      assert.deepEqual(stored.rows, [
        { name: 'Max Amazon Channel', logo_url: 'https://image.tmdb.org/t/p/original/7TVfqxyWGqaJZM715IPHTwtgcXo.jpg' },
      ]);
    });
  });
}
