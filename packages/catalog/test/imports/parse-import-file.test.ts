import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDomainError } from '@media-gateway/domain';
import { parseImportFile, starsToRating } from '../../src/index.ts';
import { netflixDateReader, netflixGuesses } from '../../src/imports/netflix-import.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const BOM = '\uFEFF';

function refused(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isDomainError(e), String(e));
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('import parsers: Letterboxd', () => {
  test('ratings.csv with a BOM, CRLF and a quoted comma; half stars round up', () => {
    const file =
      `${BOM}Date,Name,Year,Letterboxd URI,Rating\r\n` +
      `2021-03-01,"Crouching Tiger, Hidden Dragon",2000,https://boxd.it/1xyz,3.5\r\n` +
      `2021-03-02,Fargo,1996,https://boxd.it/2aHM,0.5\r\n2021-03-03,Heat,1995,https://boxd.it/2a9q,5\r\n`;
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'letterboxd-ratings');
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.map((r) => r.row),
      [2, 3, 4],
    );
    assert.equal(rows[0]!.title, 'Crouching Tiger, Hidden Dragon');
    assert.equal(rows[0]!.year, 2000);
    assert.equal(rows[0]!.kind, 'movie');
    assert.equal(rows[0]!.at, '2021-03-01T00:00:00.000Z');
    assert.deepEqual(rows[0]!.signals, [{ type: 'rating', value: 4, original: '3.5' }]);
    assert.equal((rows[1]!.signals[0] as { value: number }).value, 1);
    assert.equal((rows[2]!.signals[0] as { value: number }).value, 5);
  });

  test('row numbers are file lines, also after a quoted newline', () => {
    const file =
      'Date,Name,Year,Letterboxd URI,Rating\r\n2021-03-01,"Two\r\nLines",2000,u1,3.5\r\n2021-03-02,Fargo,1996,u2,1\r\n';
    assert.deepEqual(
      parseImportFile(bytes(file)).rows.map((r) => [r.row, r.title]),
      [
        [2, 'Two\nLines'],
        [4, 'Fargo'],
      ],
    );
  });

  test('a rating that is not a half star is an invalid row, not a crash', () => {
    const { rows } = parseImportFile(
      bytes('Date,Name,Year,Letterboxd URI,Rating\n2021-03-01,Heat,1995,https://boxd.it/2a9q,3.3\n'),
    );
    assert.equal(rows[0]!.problem?.reason, 'invalid');
  });

  test('watched.csv and watchlist.csv share columns: the file name decides, or the format must be named', () => {
    const file = 'Date,Name,Year,Letterboxd URI\n2022-01-05,Heat,1995,https://boxd.it/2a9q\n';
    assert.equal(parseImportFile(bytes(file), { fileName: 'watchlist.csv' }).format, 'letterboxd-watchlist');
    assert.deepEqual(parseImportFile(bytes(file), { fileName: 'watchlist.csv' }).rows[0]!.signals, [
      { type: 'watchlist' },
    ]);
    assert.equal(parseImportFile(bytes(file), { fileName: 'watched.csv' }).format, 'letterboxd-watched');
    assert.equal(parseImportFile(bytes(file), { format: 'letterboxd-watchlist' }).format, 'letterboxd-watchlist');
    refused(() => parseImportFile(bytes(file), { fileName: 'export.csv' }), 'INVALID_INPUT', /same columns/);
  });

  test('diary.csv: dated by Watched Date, a watch plus the rating when there is one', () => {
    const file =
      'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n' +
      '2022-05-10,The Batman,2022,https://boxd.it/2PkUWb,4,,"theatre, imax",2022-03-12\n' +
      '2022-05-10,Sully,2016,https://boxd.it/3heOWp,,Yes,,2022-03-16\n';
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'letterboxd-diary');
    assert.equal(rows[0]!.at, '2022-03-12T00:00:00.000Z');
    assert.deepEqual(rows[0]!.signals, [{ type: 'complete' }, { type: 'rating', value: 4, original: '4' }]);
    assert.deepEqual(rows[1]!.signals, [{ type: 'complete' }]);
  });
});

describe('import parsers: IMDb', () => {
  test('ratings export: Const is the id, 1–10 → 1–5, series and episodes told apart', () => {
    const file = [
      'Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,' +
        'IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors',
      'tt0113277,9,2020-01-02,Heat,Heat,https://www.imdb.com/title/tt0113277/,' +
        'Movie,8.3,170,1995,"Action, Crime, Drama",700000,1995-12-15,Michael Mann',
      'tt5753856,7,2020-01-03,Dark,Dark,https://www.imdb.com/title/tt5753856/,' +
        'TV Series,8.7,60,2017,"Crime, Drama",400000,2017-12-01,',
      'tt2301451,10,2020-01-04,Ozymandias,Ozymandias,https://www.imdb.com/title/tt2301451/,' +
        'TV Episode,10,47,2013,Drama,200000,2013-09-15,Rian Johnson',
      'tt0000001,11,2020-01-05,Bad,Bad,,movie,,,1999,,,,',
    ].join('\r\n');
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'imdb-ratings');
    assert.equal(rows[0]!.imdb, 'tt0113277');
    assert.deepEqual(rows[0]!.signals, [{ type: 'rating', value: 5, original: '9' }]);
    assert.equal(rows[1]!.kind, 'series');
    assert.equal((rows[1]!.signals[0] as { value: number }).value, 4);
    assert.equal(rows[2]!.problem?.reason, 'unsupported');
    assert.equal(rows[3]!.problem?.reason, 'invalid');
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => starsToRating(n / 2)),
      [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    );
  });

  test('watchlist export (old spelling of Title Type) becomes watchlist rows dated by Created', () => {
    const file =
      'Position,Const,Created,Modified,Description,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,' +
      'Num Votes,Release Date,Directors\n1,tt0133093,2019-07-01,2019-07-01,,The Matrix,' +
      'https://www.imdb.com/title/tt0133093/,movie,8.7,136,1999,' +
      '"Action, Sci-Fi",1900000,1999-03-31,"Lana Wachowski, Lilly Wachowski"\n';
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'imdb-watchlist');
    assert.equal(rows[0]!.at, '2019-07-01T00:00:00.000Z');
    assert.deepEqual(rows[0]!.signals, [{ type: 'watchlist' }]);
    assert.equal(rows[0]!.kind, 'movie');
  });

  test("today's list export ends with Your Rating and Date Rated, and is still a watchlist", () => {
    const file =
      'Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),' +
      'Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated\n1,tt0133093,2019-07-01,2019-07-01,,' +
      'The Matrix,The Matrix,https://www.imdb.com/title/tt0133093/,Movie,8.7,136,1999,"Action, Sci-Fi",2100000,' +
      '1999-03-24,"Lana Wachowski, Lilly Wachowski",,\n';
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'imdb-watchlist');
    assert.equal(rows[0]!.problem, undefined);
    assert.deepEqual(rows[0]!.signals, [{ type: 'watchlist' }]);
  });
});

describe('import parsers: Trakt JSON', () => {
  const movie = { title: 'Heat', year: 1995, ids: { trakt: 1, slug: 'heat-1995', imdb: 'tt0113277', tmdb: 949 } };
  const show = { title: 'Dark', year: 2017, ids: { trakt: 2, slug: 'dark', imdb: 'tt5753856', tmdb: 70523 } };

  test('history: movies and episodes (an episode stands for its show)', () => {
    const file = JSON.stringify([
      { id: 1, watched_at: '2021-05-01T20:00:00.000Z', action: 'watch', type: 'movie', movie },
      {
        id: 2,
        watched_at: '2021-05-02T20:00:00.000Z',
        action: 'scrobble',
        type: 'episode',
        episode: { season: 1, number: 1 },
        show,
      },
    ]);
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'trakt-history');
    assert.equal(rows[0]!.tmdb, 'movie:949');
    assert.equal(rows[0]!.imdb, 'tt0113277');
    assert.equal(rows[1]!.kind, 'series');
    assert.equal(rows[1]!.tmdb, 'tv:70523');
    assert.deepEqual(rows[1]!.signals, [{ type: 'complete' }]);
    assert.equal(rows[1]!.at, '2021-05-02T20:00:00.000Z');
  });

  test('ratings 1–10 and watchlist; an episode rating is not used', () => {
    const ratings = parseImportFile(
      bytes(
        JSON.stringify([
          { rated_at: '2021-01-01T00:00:00.000Z', rating: 8, type: 'movie', movie },
          { rated_at: '2021-01-01T00:00:00.000Z', rating: 9, type: 'episode', episode: { title: 'x' }, show },
        ]),
      ),
    );
    assert.equal(ratings.format, 'trakt-ratings');
    assert.deepEqual(ratings.rows[0]!.signals, [{ type: 'rating', value: 4, original: '8' }]);
    assert.equal(ratings.rows[1]!.problem?.reason, 'unsupported');
    const watchlist = parseImportFile(
      bytes(JSON.stringify([{ rank: 1, listed_at: '2021-02-01T00:00:00.000Z', type: 'show', show }])),
    );
    assert.equal(watchlist.format, 'trakt-watchlist');
    assert.deepEqual(watchlist.rows[0]!.signals, [{ type: 'watchlist' }]);
  });

  test('JSON that is not Trakt, or not JSON at all, is refused naming what was expected', () => {
    refused(() => parseImportFile(bytes('{"a":1}')), 'INVALID_INPUT', /expected a Letterboxd/);
    refused(() => parseImportFile(bytes('[{"name":"x"}]')), 'INVALID_INPUT', /not Trakt/);
    refused(() => parseImportFile(bytes('[1, 2')), 'INVALID_INPUT', /does not parse/);
    refused(() => parseImportFile(bytes('[]')), 'INVALID_INPUT', /empty/);
  });
});

describe('import parsers: Netflix viewing activity', () => {
  test('Title,Date with episodes: the series is the part before the season', () => {
    const file =
      `${BOM}Title,Date\r\n"Dark: Season 1: Secrets",12/31/21\r\n` +
      `"Spider-Man: Into the Spider-Verse",1/2/22\r\nInception,1/3/22\r\n`;
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'netflix-history');
    assert.deepEqual(rows[0]!.guesses, [{ title: 'Dark', kind: 'series' }]);
    assert.equal(rows[0]!.at, '2021-12-31T00:00:00.000Z');
    assert.deepEqual(rows[1]!.guesses, [
      { title: 'Spider-Man: Into the Spider-Verse' },
      { title: 'Spider-Man', kind: 'series' },
    ]);
    assert.deepEqual(rows[2]!.guesses, [{ title: 'Inception' }]);
    assert.deepEqual(rows[2]!.signals, [{ type: 'complete' }]);
  });

  test('the day/month order is read from the whole file', () => {
    assert.equal(netflixDateReader(['31/12/2021', '01/02/2022'])('01/02/2022'), '2022-02-01T00:00:00.000Z');
    assert.equal(netflixDateReader(['12/31/21', '01/02/22'])('01/02/22'), '2022-01-02T00:00:00.000Z');
    assert.equal(netflixDateReader(['01.02.22'])('01.02.22'), '2022-02-01T00:00:00.000Z');
    assert.equal(netflixDateReader([])('2022-03-04'), '2022-03-04T00:00:00.000Z');
    assert.equal(netflixDateReader([])('02/30/22'), undefined);
    assert.deepEqual(netflixGuesses('The Crown: Limited Series: Episode 1'), [{ title: 'The Crown', kind: 'series' }]);
  });

  test("a show whose own name has a colon: the series is everything before the season's marker", () => {
    assert.deepEqual(netflixGuesses('Narcos: Mexico: Season 1: Camelot'), [
      { title: 'Narcos: Mexico', kind: 'series' },
    ]);
    assert.deepEqual(netflixGuesses('Avatar: The Last Airbender: Book 1: Water: The Boy in the Iceberg'), [
      { title: 'Avatar: The Last Airbender', kind: 'series' },
    ]);
    assert.deepEqual(netflixGuesses('Pokémon Master Journeys: The Series: Season 1: Episode 1'), [
      { title: 'Pokémon Master Journeys: The Series', kind: 'series' },
    ]);
    // A marker in the last part is a film's name; with no marker, the whole name, then shorter runs as a series.
    assert.deepEqual(netflixGuesses('Kill Bill: Volume 1'), [
      { title: 'Kill Bill: Volume 1' },
      { title: 'Kill Bill', kind: 'series' },
    ]);
    assert.deepEqual(netflixGuesses('Our Planet: Frozen Worlds: Extra'), [
      { title: 'Our Planet: Frozen Worlds: Extra' },
      { title: 'Our Planet: Frozen Worlds', kind: 'series' },
      { title: 'Our Planet', kind: 'series' },
    ]);
  });

  test('ViewingActivity.csv: trailers are not viewing', () => {
    const file =
      'Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,' +
      'Bookmark,Latest Bookmark,Country\n' +
      'Ann,2021-03-05 21:14:33,00:45:00,,Dark: Season 1: Secrets (Episode 1),,TV,00:45:00,00:45:00,' +
      'DE (Germany)\n' +
      'Ann,2021-03-05 21:10:00,00:01:00,,Dark: Season 2 (Trailer),TRAILER,TV,00:01:00,00:01:00,DE (Germany)\n';
    const { format, rows } = parseImportFile(bytes(file));
    assert.equal(format, 'netflix-history');
    assert.equal(rows[0]!.at, '2021-03-05T21:14:33.000Z');
    assert.equal(rows[0]!.problem, undefined);
    assert.equal(rows[1]!.problem?.reason, 'unsupported');
  });
});

describe('import parsers: refusals', () => {
  test('unknown CSV, a ZIP, a header only, a format that does not fit the header', () => {
    refused(
      () => parseImportFile(bytes('name,colour\nred,#f00\n')),
      'INVALID_INPUT',
      /expected a Letterboxd export CSV/,
    );
    refused(() => parseImportFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), 'INVALID_INPUT', /ZIP/);
    refused(() => parseImportFile(bytes('Title,Date\n')), 'INVALID_INPUT', /no rows/);
    refused(
      () => parseImportFile(bytes('Title,Date\nInception,1/3/22\n'), { format: 'imdb-ratings' }),
      'INVALID_INPUT',
      /needs the column\(s\) Const, Your Rating/,
    );
  });

  test('Windows-1252 text (older IMDb exports) is read, not refused', () => {
    const latin = new Uint8Array([
      ...bytes(
        'Position,Const,Created,Modified,Description,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year\n' +
          '1,tt0211915,2019-07-01,,,Am',
      ),
      0xe9,
      ...bytes('lie,,movie,8.3,122,2001\n'),
    ]);
    assert.equal(parseImportFile(latin).rows[0]!.title, 'Amélie');
  });
});
