import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { manualClock } from '@media-gateway/domain';
import {
  type ImportReport,
  ImportListSchema,
  ImportReportSchema,
  type ImportSummary,
  ImportSummarySchema,
} from '@media-gateway/domain/contracts';
import { type BackendName, datasetsDir, testBackends } from '@media-gateway/testkit';
import { erasePersonData, exportPerson } from '../src/privacy/person-data.ts';
import { isImporting } from '../src/routes/me-imports.ts';
import { csv, type DatasetTitle, ingestJustwatch, notIn, readJustwatch } from './import-helpers.ts';
import { listen } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const data = datasetsDir();
const CATALOG_FILE = 'disney_plus_titles.csv';
const OTHER_FILE = 'hulu_titles.csv';
const LB_HEADER = 'Date,Name,Year,Letterboxd URI';
const IMDB_HEADER =
  'Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,' +
  'IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors';
const HALF_STARS = ['0.5', '1', '1.5', '2', '2.5', '3', '3.5', '4', '4.5', '5'];

/** A date in the first half of 2022, before the test clock (2022-07-01). */
const dateOf = (i: number) => `2022-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`;
const every = <T>(list: T[], step: number, offset = 0) => list.filter((_, i) => i % step === offset);

interface Fixture {
  t: TestApp;
  catalog: DatasetTitle[];
  outside: DatasetTitle[];
  /** JustWatch id (the dataset's row key) → our title id: the truth a match is judged by. */
  truth: Map<string, string>;
}

async function fixture(backend: BackendName): Promise<Fixture> {
  const t = await createTestApp({ backend, clock: manualClock('2022-07-01T12:00:00Z') });
  await ingestJustwatch(t.ctx.db, data.dir!, CATALOG_FILE);
  const catalog = await readJustwatch(data.dir!, CATALOG_FILE);
  const outside = notIn(catalog, await readJustwatch(data.dir!, OTHER_FILE));
  const { rows } = await t.ctx.db.query<{ value: string; title_id: string }>(
    "SELECT value, title_id FROM external_ids WHERE namespace = 'justwatch'",
  );
  return { t, catalog, outside, truth: new Map(rows.map((r) => [r.value, r.title_id])) };
}

async function importFile(
  t: TestApp,
  token: string,
  body: string | Buffer,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: () => unknown; headers: Record<string, unknown>; body: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/me/import?${query}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers },
    payload: body,
  });
  return { status: res.statusCode, json: () => res.json(), headers: res.headers, body: res.body };
}

async function imported(t: TestApp, token: string, body: string, query: string): Promise<ImportSummary> {
  const res = await importFile(t, token, body, query);
  assert.equal(res.status, 201, res.body);
  return ImportSummarySchema.parse(res.json());
}

async function report(t: TestApp, token: string, id: string): Promise<ImportReport> {
  const res = await t.app.inject({ url: `/api/me/imports/${id}`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200, res.body);
  return ImportReportSchema.parse(res.json());
}

async function recommendations(t: TestApp, token: string): Promise<string[]> {
  const res = await t.app.inject({
    url: '/api/recommendations?limit=20',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: Array<{ id: string }> }).items.map((i) => i.id);
}

async function watchlist(t: TestApp, token: string): Promise<Array<{ titleId: string; addedAt: string }>> {
  const res = await t.app.inject({ url: '/api/watchlist', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: Array<{ titleId: string; addedAt: string }> }).items;
}

async function eventCount(t: TestApp, user: string): Promise<number> {
  const { rows } = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rec_events WHERE user_id = $1', [
    user,
  ]);
  return rows[0]!.n;
}

/**
 * Judges a report against the dataset: rows 2.. of the file are `inCatalog` then `outside` titles
 * (in that order). Returns the share of in-catalog rows matched and of those matched correctly.
 */
function judge(r: ImportReport, inCatalog: DatasetTitle[], outsideCount: number, truth: Map<string, string>) {
  const rows = new Map(r.rows.map((row) => [row.row, row]));
  let matched = 0;
  let correct = 0;
  inCatalog.forEach((title, i) => {
    const row = rows.get(i + 2)!;
    if (row.status !== 'matched') return;
    matched++;
    if (row.titleId === truth.get(title.sourceKey)) correct++;
  });
  const outsideRows = Array.from({ length: outsideCount }, (_, i) => rows.get(inCatalog.length + i + 2)!);
  return { recall: matched / inCatalog.length, precision: correct / Math.max(1, matched), outsideRows };
}

for (const backend of testBackends()) {
  describe(`imports from other trackers (${backend})`, { skip: data.skip }, () => {
    let f: Fixture;
    const ANN = 'imp-ann';
    let ann: string;
    const files: Record<string, string> = {};
    let lbRatingsIn: DatasetTitle[];
    let lbWatchlistIn: DatasetTitle[];
    let imdbIn: DatasetTitle[];
    before(async () => {
      f = await fixture(backend);
      ann = await f.t.token(ANN, ['recommendations', 'watchlist:read', 'watchlist:write']);
      const movies = f.catalog.filter((c) => c.kind === 'movie' && c.year);
      const outsideMovies = f.outside.filter((c) => c.kind === 'movie' && c.year);
      lbRatingsIn = every(movies, 8);
      lbWatchlistIn = every(movies, 8, 4).slice(0, 40);
      imdbIn = every(
        f.catalog.filter((c) => c.imdb),
        10,
        3,
      ).slice(0, 100);
      const lbRow = (c: DatasetTitle, i: number) => [dateOf(i), c.title, c.year, `https://boxd.it/t${c.sourceKey}`];
      files['ratings.csv'] = csv(
        `${LB_HEADER},Rating`,
        [...lbRatingsIn, ...outsideMovies.slice(0, 15)].map((c, i) => [...lbRow(c, i), HALF_STARS[i % 10]]),
      );
      files['watchlist.csv'] = csv(LB_HEADER, [...lbWatchlistIn, ...outsideMovies.slice(15, 20)].map(lbRow));
      files['imdb-ratings.csv'] = csv(
        IMDB_HEADER,
        [...imdbIn, ...f.outside.slice(20, 35)].map((c, i) => [
          c.imdb,
          1 + (i % 10),
          dateOf(i),
          c.title,
          c.title,
          `https://www.imdb.com/title/${c.imdb}/`,
          c.kind === 'movie' ? 'Movie' : 'TV Series',
          '7.1',
          '',
          c.year,
          'Drama',
          '1000',
          '',
          '',
        ]),
      );
    });
    after(async () => f?.t.close());

    test(
      'Letterboxd ratings + watchlist and IMDb ratings: ≥ 95 % of catalog ' +
        'titles matched, the rest reported; recommendations change at once',
      async () => {
        const { t } = f;
        const before = await recommendations(t, ann);
        assert.ok(before.length > 0, 'recommendations before the import');

        const started = performance.now();
        const lb = await imported(t, ann, files['ratings.csv']!, 'filename=ratings.csv');
        const ms = performance.now() - started;
        assert.equal(lb.format, 'letterboxd-ratings');
        assert.equal(lb.counts.rows, lbRatingsIn.length + 15);
        const lbJudged = judge(await report(t, ann, lb.id), lbRatingsIn, 15, f.truth);
        assert.ok(lbJudged.recall >= 0.95, `Letterboxd: ${lbJudged.recall} of catalog titles matched`);
        assert.ok(lbJudged.precision >= 0.98, `Letterboxd: ${lbJudged.precision} of matches correct`);
        for (const row of lbJudged.outsideRows) {
          assert.equal(row.status, 'unmatched', `${row.title} (${row.year}) is not in the catalog`);
          assert.ok(row.reason && row.detail, 'an unmatched row says why');
        }
        assert.equal(lb.counts.imported, lb.counts.matched);
        assert.equal(lb.counts.events.recorded, lb.counts.matched);

        const wl = await imported(t, ann, files['watchlist.csv']!, 'filename=watchlist.csv');
        assert.equal(wl.format, 'letterboxd-watchlist');
        const wlReport = await report(t, ann, wl.id);
        const wlJudged = judge(wlReport, lbWatchlistIn, 5, f.truth);
        assert.ok(wlJudged.recall >= 0.95, `watchlist: ${wlJudged.recall} matched`);
        const onList = new Set((await watchlist(t, ann)).map((i) => i.titleId));
        const wanted = wlReport.rows.filter((r) => r.status === 'matched').map((r) => r.titleId!);
        assert.equal(wl.counts.watchlist.added, new Set(wanted).size);
        for (const id of wanted) assert.ok(onList.has(id), `${id} is on the synced watchlist`);

        const imdb = await imported(t, ann, files['imdb-ratings.csv']!, 'filename=ratings.csv');
        assert.equal(imdb.format, 'imdb-ratings', 'told by its header, whatever the file name');
        const imdbJudged = judge(await report(t, ann, imdb.id), imdbIn, 15, f.truth);
        assert.ok(imdbJudged.recall >= 0.95, `IMDb: ${imdbJudged.recall} matched`);
        assert.ok(imdbJudged.precision >= 0.98, `IMDb: ${imdbJudged.precision} correct`);
        assert.ok(
          imdb.counts.how.imdb >= imdbIn.length * 0.9,
          `most IMDb rows match by id: ${JSON.stringify(imdb.counts.how)}`,
        );
        for (const row of imdbJudged.outsideRows) assert.equal(row.status, 'unmatched');

        const afterList = await recommendations(t, ann);
        assert.notDeepEqual(afterList, before, 'the import changed the recommendations');
        const seen = new Set(
          (
            await t.ctx.db.query<{ title_id: string }>(
              "SELECT title_id FROM rec_events WHERE user_id = $1 AND type = 'rating'",
              [ANN],
            )
          ).rows.map((r) => r.title_id),
        );
        assert.ok(seen.size > 100);
        assert.deepEqual(
          afterList.filter((id) => seen.has(id)),
          [],
          'titles you rated elsewhere are not recommended',
        );
        console.log(
          `[imports ${backend}] Letterboxd ratings: ${lb.counts.rows} rows in ${Math.round(ms)} ms, ` +
            `recall ${lbJudged.recall.toFixed(3)}, precision ${lbJudged.precision.toFixed(3)}, ` +
            `how ${JSON.stringify(lb.counts.how)}, reasons ${JSON.stringify(lb.counts.reasons)}; ` +
            `IMDb recall ${imdbJudged.recall.toFixed(3)}, precision ${imdbJudged.precision.toFixed(3)}, ` +
            `how ${JSON.stringify(imdb.counts.how)}; watchlist recall ${wlJudged.recall.toFixed(3)};` +
            ` ${before.filter((id) => !afterList.includes(id)).length} of 20 recommendations changed`,
        );
      },
    );

    test('re-importing the same files changes nothing, and the counts say so', async () => {
      const { t } = f;
      const listBefore = await watchlist(t, ann);
      const eventsBefore = await eventCount(t, ANN);
      const recsBefore = await recommendations(t, ann);
      for (const [name, query] of [
        ['ratings.csv', 'filename=ratings.csv'],
        ['watchlist.csv', 'filename=watchlist.csv'],
        ['imdb-ratings.csv', 'filename=imdb-ratings.csv'],
      ] as const) {
        const again = await imported(t, ann, files[name]!, query);
        assert.equal(again.counts.imported, 0, `${name}: nothing new`);
        assert.equal(again.counts.alreadyImported, again.counts.matched, `${name}: every matched row already imported`);
        assert.equal(again.counts.events.recorded, 0);
        assert.equal(again.counts.watchlist.added, 0);
        const rows = (await report(t, ann, again.id)).rows.filter((r) => r.status === 'matched');
        assert.ok(rows.every((r) => r.outcome === 'already_imported'));
      }
      assert.deepEqual(await watchlist(t, ann), listBefore, 'same watchlist, same dates');
      assert.equal(await eventCount(t, ANN), eventsBefore, 'no new feedback events');
      assert.deepEqual(await recommendations(t, ann), recsBefore);
      const list = ImportListSchema.parse(
        (await t.app.inject({ url: '/api/me/imports', headers: { authorization: `Bearer ${ann}` } })).json(),
      );
      assert.equal(list.imports.length, 6);
    });

    test('the report downloads as JSON and CSV, for its owner only', async () => {
      const { t } = f;
      const [latest] = ImportListSchema.parse(
        (await t.app.inject({ url: '/api/me/imports?limit=1', headers: { authorization: `Bearer ${ann}` } })).json(),
      ).imports;
      const json = await report(t, ann, latest!.id);
      for (const [url, headers] of [
        [`/api/me/imports/${latest!.id}?format=csv`, {}],
        [`/api/me/imports/${latest!.id}`, { accept: 'text/csv' }],
      ] as const) {
        const res = await t.app.inject({ url, headers: { authorization: `Bearer ${ann}`, ...headers } });
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/csv/);
        const lines = res.body.trimEnd().split('\r\n');
        assert.equal(
          lines[0],
          'row,title,year,action,rating,value,status,how,titleId,matchedTitle,matchedYear,reason,detail,outcome',
        );
        assert.ok(lines.length >= json.rows.length + 1, 'a line per row (titles may hold newlines)');
      }
      const bob = await t.token('imp-bob', ['recommendations']);
      const other = await t.app.inject({
        url: `/api/me/imports/${latest!.id}`,
        headers: { authorization: `Bearer ${bob}` },
      });
      assert.equal(other.statusCode, 404);
      assert.match(String(other.headers['content-type']), /application\/problem\+json/);
    });

    test('Trakt JSON (history, ratings) and Netflix viewing activity parse and match', async () => {
      const { t, catalog } = f;
      const carol = await t.token('imp-carol', ['recommendations', 'watchlist:read', 'watchlist:write']);
      const movies = catalog.filter((c) => c.kind === 'movie' && c.imdb && c.year).slice(0, 5);
      const shows = catalog.filter((c) => c.kind === 'series' && c.imdb && c.year).slice(0, 3);
      const ids = (c: DatasetTitle, trakt: number) => ({ trakt, slug: `t-${trakt}`, imdb: c.imdb, tmdb: null });
      const history = [
        ...movies.map((c, i) => ({
          id: i + 1,
          watched_at: `2022-03-0${1 + i}T20:00:00.000Z`,
          action: 'watch',
          type: 'movie',
          movie: { title: c.title, year: c.year, ids: ids(c, i) },
        })),
        ...shows.map((c, i) => ({
          id: 100 + i,
          watched_at: '2022-04-01T20:00:00.000Z',
          action: 'scrobble',
          type: 'episode',
          episode: { season: 1, number: 1, title: 'Pilot' },
          show: { title: c.title, year: c.year, ids: ids(c, 100 + i) },
        })),
      ];
      const h = await imported(t, carol, JSON.stringify(history), 'filename=history.json');
      assert.equal(h.format, 'trakt-history');
      assert.equal(h.counts.matched, history.length, JSON.stringify((await report(t, carol, h.id)).rows));
      assert.equal(h.counts.how.imdb, history.length);

      // A title the catalog knows by its TMDb id (as the TMDb source stores it), named only by that id.
      const target = catalog.filter((c) => c.kind === 'movie')[40]!;
      await t.ctx.db.query(
        "INSERT INTO external_ids (namespace, value, title_id, source) VALUES ('tmdb', 'movie:999001', $1, 'test')",
        [f.truth.get(target.sourceKey)],
      );
      const ratings = [
        {
          rated_at: '2022-05-01T00:00:00.000Z',
          rating: 9,
          type: 'movie',
          movie: { title: 'Renamed upstream', year: 1900, ids: { trakt: 7, tmdb: 999001 } },
        },
        {
          rated_at: '2022-05-01T00:00:00.000Z',
          rating: 3,
          type: 'episode',
          episode: { title: 'x' },
          show: { title: shows[0]!.title, ids: { trakt: 8 } },
        },
      ];
      const r = await imported(t, carol, JSON.stringify(ratings), 'format=trakt-ratings');
      const rRows = (await report(t, carol, r.id)).rows;
      assert.equal(rRows[0]!.how, 'tmdb');
      assert.equal(rRows[0]!.titleId, f.truth.get(target.sourceKey));
      assert.equal(rRows[0]!.value, 5);
      assert.equal(rRows[1]!.reason, 'unsupported');

      // Netflix: episodes name their series before the season; films are plain titles; no years.
      const uniqueName = (c: DatasetTitle) => catalog.filter((o) => o.title === c.title).length === 1;
      const series = catalog.filter((c) => c.kind === 'series' && uniqueName(c)).slice(5, 8);
      const films = catalog.filter((c) => c.kind === 'movie' && uniqueName(c) && !c.title.includes(':')).slice(60, 64);
      const netflix = csv('Title,Date', [
        ...series.flatMap((c) => [
          [`${c.title}: Season 1: Pilot`, '1/5/22'],
          [`${c.title}: Season 1: The Second One`, '1/6/22'],
        ]),
        ...films.map((c, i) => [c.title, `2/${10 + i}/22`]),
        ['A Show Nobody Made: Season 1: Nothing', '3/1/22'],
      ]);
      const n = await imported(t, carol, netflix, 'filename=NetflixViewingHistory.csv');
      assert.equal(n.format, 'netflix-history');
      const nRows = (await report(t, carol, n.id)).rows;
      assert.equal(
        n.counts.matched,
        series.length * 2 + films.length,
        JSON.stringify(nRows.filter((x) => x.status !== 'matched')),
      );
      assert.equal(nRows.at(-1)!.reason, 'not_in_catalog');
      for (const [i, c] of series.entries()) assert.equal(nRows[i * 2]!.titleId, f.truth.get(c.sourceKey));
      assert.equal(n.counts.events.recorded, series.length + films.length, 'two episodes of one series are one watch');
    });

    test('an IMDb id the catalog has another way, and a name the catalog has as another kind, are reported truly', async () => {
      const { t, catalog } = f;
      const dave = await t.token('imp-dave', ['recommendations', 'watchlist:read', 'watchlist:write']);
      const unique = (c: DatasetTitle) => catalog.filter((o) => o.title === c.title).length === 1;
      // One source can give a title the wrong IMDb id: the same name and year still find it, and the report says so.
      const film = catalog.find((c) => c.kind === 'movie' && c.imdb && c.year && unique(c))!;
      const history = [
        {
          id: 1,
          watched_at: '2022-03-01T20:00:00.000Z',
          action: 'watch',
          type: 'movie',
          movie: { title: film.title, year: film.year, ids: { trakt: 1, imdb: 'tt99999901', tmdb: null } },
        },
      ];
      const h = await imported(t, dave, JSON.stringify(history), 'filename=history.json');
      const [row] = (await report(t, dave, h.id)).rows;
      assert.equal(row!.status, 'matched', JSON.stringify(row));
      assert.equal(row!.titleId, f.truth.get(film.sourceKey));
      assert.match(row!.detail ?? '', /IMDb id/);
      // Letterboxd lists films; a series of that name is not matched, and the report says why.
      const show = catalog.find((c) => c.kind === 'series' && c.year && unique(c))!;
      const lb = await imported(
        t,
        dave,
        csv('Date,Name,Year,Letterboxd URI,Rating', [
          ['2022-01-02', show.title, String(show.year), 'https://boxd.it/x', '4'],
        ]),
        'filename=ratings.csv',
      );
      const [lbRow] = (await report(t, dave, lb.id)).rows;
      assert.equal(lbRow!.status, 'unmatched');
      assert.match(lbRow!.detail ?? '', /only as a series/);
    });

    test('bad files: 400 naming the shapes, 413 over the limit, 415 multipart, 401/403 without rights', async () => {
      const { t } = f;
      const problem = (
        res: { status: number; headers: Record<string, unknown>; json: () => unknown },
        status: number,
        code: string,
      ) => {
        assert.equal(res.status, status);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.equal((res.json() as { code: string }).code, code);
        return (res.json() as { detail: string }).detail;
      };
      assert.match(
        problem(await importFile(t, ann, 'name,colour\nred,#f00\n', ''), 400, 'INVALID_INPUT'),
        /expected a Letterboxd/,
      );
      assert.match(
        problem(
          await importFile(t, ann, '{"not":"a list"}', '', { 'content-type': 'application/json' }),
          400,
          'INVALID_INPUT',
        ),
        /Trakt/,
      );
      assert.match(
        problem(
          await importFile(t, ann, Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), '', { 'content-type': 'application/zip' }),
          400,
          'INVALID_INPUT',
        ),
        /ZIP/,
      );
      assert.match(
        problem(await importFile(t, ann, `${LB_HEADER}\n2022-01-01,Heat,1995,x\n`, ''), 400, 'INVALID_INPUT'),
        /same columns/,
      );
      problem(await importFile(t, ann, '', ''), 400, 'INVALID_INPUT');
      problem(await importFile(t, ann, 'Title,Date\nx,1/1/22\n', 'format=nope'), 400, 'INVALID_INPUT');
      const big = Buffer.alloc(20 * 1024 * 1024 + 10, 'a');
      assert.match(problem(await importFile(t, ann, big, ''), 413, 'PAYLOAD_TOO_LARGE'), /20 MB/);
      const multipart = await importFile(t, ann, '--x\r\n\r\nhi\r\n--x--', '', {
        'content-type': 'multipart/form-data; boundary=x',
      });
      assert.equal(multipart.status, 415);
      const noToken = await t.app.inject({
        method: 'POST',
        url: '/api/me/import',
        payload: 'Title,Date\n',
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(noToken.statusCode, 401);
      const readOnly = await t.token('imp-dave', ['recommendations']);
      problem(await importFile(t, readOnly, files['ratings.csv']!, ''), 403, 'FORBIDDEN');
    });

    test('one import at a time per person; more rows than one import reads is refused with 413', async () => {
      const { t } = f;
      const token = await t.token('imp-busy', ['recommendations', 'watchlist:write']);
      const both = await Promise.all([
        importFile(t, token, files['ratings.csv']!, 'filename=ratings.csv'),
        importFile(t, token, files['ratings.csv']!, 'filename=ratings.csv'),
      ]);
      assert.deepEqual(both.map((r) => r.status).sort(), [201, 409], both.map((r) => r.body).join(' '));
      const second = both.find((r) => r.status === 409)!;
      assert.equal((second.json() as { reason: string }).reason, 'import_running');
      const many = `Title,Date\n${'Heat,1/1/22\n'.repeat(50_001)}`;
      const tooMany = await importFile(t, token, many, 'filename=NetflixViewingHistory.csv');
      assert.equal(tooMany.status, 413, tooMany.body);
      assert.match((tooMany.json() as { detail: string }).detail, /more than 50000 rows/);
    });

    test('two uploads that stall do not hold the server-wide import slots', async () => {
      const { t } = f;
      const url = new URL((await listen(t)).http);
      const stalled: Socket[] = [];
      try {
        for (const who of ['imp-stall-1', 'imp-stall-2']) {
          const token = await t.token(who, ['recommendations', 'watchlist:write']);
          const socket = connect(Number(url.port), url.hostname);
          await new Promise((resolve) => socket.once('connect', resolve));
          // Headers and a few bytes of a 100 kB body, then nothing.
          socket.write(
            `POST /api/me/import?filename=ratings.csv HTTP/1.1\r\nHost: ${url.host}\r\n` +
              `authorization: Bearer ${token}\r\ncontent-type: text/csv\r\ncontent-length: 100000\r\n\r\nDate,`,
          );
          stalled.push(socket);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        const token = await t.token('imp-after-stalls', ['recommendations', 'watchlist:write']);
        const res = await importFile(t, token, files['watchlist.csv']!, 'filename=watchlist.csv');
        assert.equal(res.status, 201, res.body);
      } finally {
        for (const socket of stalled) socket.destroy();
      }
    });

    test('an account deleted while its import runs keeps nothing from that import', async () => {
      const { t } = f;
      const id = 'imp-leaver';
      await t.ctx.db.query("INSERT INTO users (id, email) VALUES ($1, 'leaver@example.org')", [id]);
      const token = await t.token(id, ['recommendations', 'watchlist:write']);
      const running = importFile(t, token, files['ratings.csv']!, 'filename=ratings.csv');
      // The deletion and its erasure land while the import parses and matches, before it writes.
      while (!isImporting(id)) await new Promise((r) => setImmediate(r));
      await (await t.ctx.services.auth()).users.deleteUser(id);
      await erasePersonData(t.ctx, id, null);
      const res = await running;
      assert.equal(res.status, 401, res.body);
      assert.equal((res.json() as { reason: string }).reason, 'account_deleted');
      for (const table of ['imports', 'rec_events', 'rec_user_state']) {
        const { rows } = await t.ctx.db.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [id]);
        assert.equal(rows.length, 0, `nothing left in ${table}`);
      }
    });

    test('the person’s export lists their imports, and erasing the account deletes them', async () => {
      const { t } = f;
      const doc = (await exportPerson(t.ctx, ANN)) as { imports: ImportReport[] };
      assert.equal(doc.imports.length, 6);
      assert.ok(doc.imports[0]!.rows.length > 0);
      await erasePersonData(t.ctx, ANN, null);
      const { rows } = await t.ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM imports WHERE user_id = $1',
        [ANN],
      );
      assert.equal(rows[0]!.n, 0);
    });
  });
}

describe('CLI: media-gateway import', { skip: data.skip }, () => {
  const BIN = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');
  const run = promisify(execFile);
  let f: Fixture;
  let http: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    f = await fixture('pglite');
    ({ http } = await listen(f.t));
    env = {
      ...process.env,
      MG_TOKEN: await f.t.token('imp-cli', ['recommendations', 'watchlist:read', 'watchlist:write']),
    };
    dir = await mkdtemp(join(tmpdir(), 'mg-import-cli-'));
  });
  after(async () => {
    await f?.t.close();
    await rm(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args, '--url', http], { env });

  test('imports a file and prints the summary; a bad or missing file exits non-zero with a message', async () => {
    const films = f.catalog.filter((c) => c.kind === 'movie' && c.year).slice(0, 12);
    const path = join(dir, 'ratings.csv');
    await writeFile(
      path,
      csv(
        `${LB_HEADER},Rating`,
        films.map((c, i) => [dateOf(i), c.title, c.year, `u${i}`, '4']),
      ),
    );
    const first = await cli('import', path);
    assert.match(first.stdout, /as letterboxd-ratings: 12 rows/);
    assert.match(first.stdout, /matched\s+1[12]\b/);
    const again = await cli('import', path, '--json');
    const summary = ImportSummarySchema.parse(JSON.parse(again.stdout));
    assert.equal(summary.counts.imported, 0);
    assert.equal(summary.counts.alreadyImported, summary.counts.matched);

    const bad = join(dir, 'notes.csv');
    await writeFile(bad, 'name,colour\nred,#f00\n');
    await assert.rejects(cli('import', bad), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /expected a Letterboxd/);
      return true;
    });
    await assert.rejects(cli('import', join(dir, 'missing.csv')), (e: { code: number }) => e.code === 3);
    await assert.rejects(cli('import', path, '--format', 'nope'), (e: { code: number }) => e.code === 2);
  });
});
