import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imageRefFromUrl, SourceRecordSchema, upstreamImageUrl } from '@media-gateway/domain';
import { mapJwNode } from '../../src/sources/justwatch/justwatch-mapper.ts';
import { JwNode } from '../../src/sources/justwatch/justwatch-types.ts';
import { mapSaShow } from '../../src/sources/streaming-availability/sa-mapper.ts';
import { SaShow } from '../../src/sources/streaming-availability/sa-types.ts';
import { mapTmdbMovie, mapTmdbTv } from '../../src/sources/tmdb/tmdb-mapper.ts';
import { TmdbMovie, TmdbTv } from '../../src/sources/tmdb/tmdb-types.ts';
import { mapWatchmodeTitle } from '../../src/sources/watchmode/watchmode-mapper.ts';
import { WatchmodeDetails } from '../../src/sources/watchmode/watchmode-types.ts';
import { fixtureJson } from '../../testing/fixture-server.ts';

/** The three sizes of an image reference, as the proxy would fetch them. */
const urls = (image: Parameters<typeof upstreamImageUrl>[0], use: 'poster' | 'backdrop' | 'logo') =>
  (['s', 'm', 'l'] as const).map((s) => upstreamImageUrl(image, use, s)?.toString());

describe('artwork from the live sources (mappers, real-shape fixtures)', () => {
  test('TMDb: poster and backdrop as file paths, served at w185/w342/w780 and w300/w780/w1280', () => {
    const { record } = mapTmdbMovie(TmdbMovie.parse(fixtureJson('tmdb', 'movie-11.json')), 'US');
    assert.deepEqual(record.images, [
      { kind: 'poster', source: 'tmdb', ref: '/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg', attribution: 'TMDb' },
      { kind: 'backdrop', source: 'tmdb', ref: '/2w4xG178RpB4MDAIfTkqAuSJzec.jpg', attribution: 'TMDb' },
    ]);
    assert.deepEqual(urls(record.images![0]!, 'poster'), [
      'https://image.tmdb.org/t/p/w185/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
      'https://image.tmdb.org/t/p/w342/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
      'https://image.tmdb.org/t/p/w780/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
    ]);
    assert.deepEqual(urls(record.images![1]!, 'backdrop'), [
      'https://image.tmdb.org/t/p/w300/2w4xG178RpB4MDAIfTkqAuSJzec.jpg',
      'https://image.tmdb.org/t/p/w780/2w4xG178RpB4MDAIfTkqAuSJzec.jpg',
      'https://image.tmdb.org/t/p/w1280/2w4xG178RpB4MDAIfTkqAuSJzec.jpg',
    ]);
    // Logos of registry providers are kept too (Disney Plus is 337 in the registry).
    const disney = record.offers?.find((o) => o.platform === 'disney-plus');
    assert.equal(disney?.platformLogo, 'https://image.tmdb.org/t/p/original/97yvRBw1GzX7fXprcF80er19ot.jpg');
    assert.deepEqual(imageRefFromUrl(disney!.platformLogo!), {
      source: 'tmdb',
      ref: '/97yvRBw1GzX7fXprcF80er19ot.jpg',
    });
    assert.ok(SourceRecordSchema.safeParse(record).success);
  });

  test('TMDb: a title without artwork carries no images field (its record hashes as before)', () => {
    const { record } = mapTmdbTv(TmdbTv.parse(fixtureJson('tmdb', 'tv-66732.json')), 'US');
    assert.equal('images' in record, false);
    const odd = mapTmdbMovie(
      TmdbMovie.parse({ ...(fixtureJson('tmdb', 'movie-11.json') as object), poster_path: '/../x.jpg' }),
      'US',
    );
    assert.deepEqual(
      odd.record.images?.map((i) => i.kind),
      ['backdrop'],
      'a path that is not a TMDb file path is dropped',
    );
  });

  test('Watchmode: its URL is the reference, posterMedium/posterLarge its variants; one backdrop', () => {
    const { record } = mapWatchmodeTitle(
      WatchmodeDetails.parse(fixtureJson('watchmode', 'title-3173903-details.json')),
      'US',
    );
    const [poster, backdrop] = record.images ?? [];
    assert.deepEqual(poster, {
      kind: 'poster',
      source: 'watchmode',
      ref: 'https://cdn.watchmode.com/posters/03173903_poster_w185.jpg',
      variants: {
        m: 'https://cdn.watchmode.com/posters/03173903_poster_w342.jpg',
        l: 'https://cdn.watchmode.com/posters/03173903_poster_w780.jpg',
      },
      attribution: 'Watchmode',
    });
    assert.deepEqual(urls(poster!, 'poster'), [
      'https://cdn.watchmode.com/posters/03173903_poster_w185.jpg',
      'https://cdn.watchmode.com/posters/03173903_poster_w342.jpg',
      'https://cdn.watchmode.com/posters/03173903_poster_w780.jpg',
    ]);
    assert.equal(backdrop?.ref, 'https://cdn.watchmode.com/backdrops/03173903_bd_w780.jpg');
    // Only the size Watchmode gave: every size asks for it.
    assert.deepEqual(new Set(urls(backdrop!, 'backdrop')), new Set([backdrop!.ref]));

    const offHost = mapWatchmodeTitle(
      WatchmodeDetails.parse({
        ...(fixtureJson('watchmode', 'title-3173903-details.json') as object),
        poster: 'http://169.254.169.254/latest/meta-data',
        posterMedium: null,
        posterLarge: 'https://evil.example/p.jpg',
        backdrop: null,
      }),
      'US',
    );
    assert.equal(offHost.record.images, undefined, 'URLs off cdn.watchmode.com are never kept');
  });

  test('JustWatch: paths with the size profile as a variable; package icons as logos', () => {
    const popular = fixtureJson('justwatch', 'popular-0.json') as {
      data: { popularTitles: { edges: Array<{ node: Record<string, unknown> }> } };
    };
    const matrix = popular.data.popularTitles.edges[0]!.node as {
      content: Record<string, unknown>;
      offers: Array<Record<string, unknown>>;
    };
    const { record } = mapJwNode(JwNode.parse(matrix), 'US');
    assert.deepEqual(record.images, [
      {
        kind: 'poster',
        source: 'justwatch',
        ref: '/poster/311761087/{profile}/the-matrix.jpg',
        attribution: 'JustWatch',
      },
    ]);
    assert.deepEqual(urls(record.images![0]!, 'poster'), [
      'https://images.justwatch.com/poster/311761087/s166/the-matrix.jpg',
      'https://images.justwatch.com/poster/311761087/s332/the-matrix.jpg',
      'https://images.justwatch.com/poster/311761087/s718/the-matrix.jpg',
    ]);

    // A backdrop and a package icon in the shapes JustWatch answers with (values from
    // simple-justwatch-python-api's recorded popular() output: The Madison, Paramount Plus Premium).
    const withMore = {
      ...matrix,
      content: { ...matrix.content, backdrops: [{ backdropUrl: '/backdrop/343091687/s1920/the-madison.jpg' }] },
      offers: [
        {
          monetizationType: 'FLATRATE',
          presentationType: '_4K',
          package: {
            packageId: 2303,
            clearName: 'Paramount Plus Premium',
            icon: '/icon/332803145/s100/paramountpluspremium.png',
          },
          standardWebURL: 'https://www.paramountplus.com/shows/the-madison/',
        },
      ],
    };
    const more = mapJwNode(JwNode.parse(withMore), 'US').record;
    assert.deepEqual(more.images?.[1], {
      kind: 'backdrop',
      source: 'justwatch',
      ref: '/backdrop/343091687/{profile}/the-madison.jpg',
      attribution: 'JustWatch',
    });
    assert.equal(
      upstreamImageUrl(more.images![1]!, 'backdrop', 'm')?.toString(),
      'https://images.justwatch.com/backdrop/343091687/s1440/the-madison.jpg',
    );
    const logo = more.offers?.[0]?.platformLogo;
    assert.equal(logo, 'https://images.justwatch.com/icon/332803145/s100/paramountpluspremium.png');
    assert.deepEqual(imageRefFromUrl(logo!), {
      source: 'justwatch',
      ref: '/icon/332803145/{profile}/paramountpluspremium.png',
    });
  });

  test('Streaming Availability: signed show images are never kept; stable service logos are', () => {
    const page = fixtureJson('streaming-availability', 'filters-1.json') as { shows: unknown[] };
    const show = SaShow.parse(page.shows[0]);
    const { record } = mapSaShow(show, 'US');
    assert.equal(record.images, undefined);
    assert.doesNotMatch(JSON.stringify(record), /Expires=|Signature=/);
    const netflix = record.offers?.find((o) => o.platform === 'netflix');
    assert.equal(netflix?.platformLogo, 'https://media.movieofthenight.com/services/netflix/logo-light-theme.svg');
    // A signed URL in a service's imageSet is dropped, never stored.
    const signed = SaShow.parse({
      ...(page.shows[0] as object),
      streamingOptions: {
        us: [
          {
            service: {
              id: 'netflix',
              name: 'Netflix',
              imageSet: {
                lightThemeImage: 'https://media.movieofthenight.com/services/netflix/x.svg?Expires=1&Signature=s',
              },
            },
            type: 'subscription',
            link: 'https://www.netflix.com/title/60011152/',
          },
        ],
      },
    });
    assert.equal(mapSaShow(signed, 'US').record.offers?.[0]?.platformLogo, undefined);
  });
});

describe('image references: only the sources’ own hosts (domain)', () => {
  test('a reference never makes a URL off the allow-list', () => {
    const refused: Array<Parameters<typeof upstreamImageUrl>[0]> = [
      { source: 'watchmode', ref: 'http://169.254.169.254/latest/meta-data' },
      { source: 'watchmode', ref: 'https://evil.example/p.jpg' },
      { source: 'watchmode', ref: 'https://cdn.watchmode.com:8443/p.jpg' },
      { source: 'watchmode', ref: 'https://user:pw@cdn.watchmode.com/p.jpg' },
      { source: 'watchmode', ref: 'https://image.tmdb.org/t/p/w185/x.jpg' },
      { source: 'tmdb', ref: '@evil.example/x.jpg' },
      { source: 'tmdb', ref: '/../../x.jpg' },
      { source: 'justwatch', ref: '/poster/1/s718/x.jpg' },
      { source: 'justwatch', ref: '@evil.example/{profile}' },
      { source: 'streaming-availability', ref: 'https://cdn.movieofthenight.com/show/82/poster.jpg' },
    ];
    for (const image of refused) assert.equal(upstreamImageUrl(image, 'poster', 'm'), undefined, image.ref);
    assert.equal(
      imageRefFromUrl('https://cdn.movieofthenight.com/show/82/poster/vertical/en/240.jpg?Expires=1'),
      undefined,
    );
    assert.equal(imageRefFromUrl('https://media.movieofthenight.com/services/x.svg?Signature=s'), undefined);
    assert.equal(imageRefFromUrl('javascript:alert(1)'), undefined);
  });
});
