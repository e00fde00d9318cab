import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import type { SourceRecordInput } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { ingest } from '../src/pipeline/ingest.ts';
import { getTitle } from '../src/queries/get-title.ts';
import { loadProviderLogos } from '../src/queries/title-images.ts';
import type { Source } from '../src/sources/source.ts';
import { mapJwNode } from '../src/sources/justwatch/justwatch-mapper.ts';
import { JwNode } from '../src/sources/justwatch/justwatch-types.ts';
import { mapSaShow } from '../src/sources/streaming-availability/sa-mapper.ts';
import { SaShow } from '../src/sources/streaming-availability/sa-types.ts';
import { mapTmdbMovie } from '../src/sources/tmdb/tmdb-mapper.ts';
import { TmdbMovie } from '../src/sources/tmdb/tmdb-types.ts';
import { fixtureJson } from '../testing/fixture-server.ts';

const T1 = new Date('2026-03-01T10:00:00Z');
const T2 = new Date('2026-03-02T10:00:00Z');
const T3 = new Date('2026-03-03T10:00:00Z');

function sourceOf(name: string, record: SourceRecordInput): Source {
  return {
    name,
    async *read() {
      yield { file: name, row: 1, record, problems: [] };
    },
  };
}

/** The Matrix on JustWatch (recorded shape). */
function jwMatrix(): SourceRecordInput {
  const page = fixtureJson('justwatch', 'popular-0.json') as {
    data: { popularTitles: { edges: Array<{ node: unknown }> } };
  };
  return mapJwNode(JwNode.parse(page.data.popularTitles.edges[0]!.node), 'US').record;
}

/** The Matrix on TMDb: the details fixture with the poster path TMDb's discover fixture gives it. */
function tmdbMatrix(posterPath: string | null = '/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg'): SourceRecordInput {
  const details = { ...(fixtureJson('tmdb', 'movie-603.json') as object), poster_path: posterPath };
  return mapTmdbMovie(TmdbMovie.parse(details), 'US').record;
}

for (const backend of testBackends()) {
  describe(`artwork references are stored once per record and picked by source (${backend})`, () => {
    let db: Db;
    let titleId = '';
    const imageRows = async () =>
      (
        await db.query<{ source: string; kind: string; image_source: string; ref: string; seen_at: Date | null }>(
          'SELECT source, kind, image_source, ref, seen_at FROM title_images ORDER BY source, kind',
        )
      ).rows;

    before(async () => {
      db = await freshDb(backend);
    });
    after(async () => {
      await db.close();
    });

    test('JustWatch first: its poster is the title’s, with its credit, our proxy URL and the run’s time', async () => {
      const r = await ingest({ db, source: sourceOf('justwatch:US', jwMatrix()), seenAt: T1 });
      assert.equal(r.status, 'completed');
      titleId = (
        await db.query<{ title_id: string }>(
          `SELECT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0133093'`,
        )
      ).rows[0]!.title_id;
      const t = await getTitle(db, titleId);
      assert.equal(t?.images.length, 1);
      const poster = t!.images[0]!;
      assert.equal(poster.kind, 'poster');
      assert.equal(poster.source, 'justwatch');
      assert.equal(poster.attribution, 'JustWatch');
      assert.equal(poster.seenAt, T1.toISOString());
      assert.match(poster.url, new RegExp(`^/api/titles/${titleId}/image/poster\\?size=m&v=[a-z0-9]+$`));
      assert.deepEqual(
        Object.keys(poster.sizes).map((s) => poster.sizes[s as 's']!.includes(`size=${s}`)),
        [true, true, true],
      );
    });

    test('TMDb on the same title: TMDb’s poster is picked (fixed preference); both references are kept', async () => {
      await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix()), seenAt: T2 });
      const rows = await imageRows();
      assert.deepEqual(
        rows.map((r) => [r.source, r.kind, r.image_source, r.ref]),
        [
          ['justwatch:US', 'poster', 'justwatch', '/poster/311761087/{profile}/the-matrix.jpg'],
          ['tmdb:US', 'poster', 'tmdb', '/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg'],
        ],
      );
      const t = await getTitle(db, titleId);
      assert.equal(t?.images[0]?.source, 'tmdb');
      assert.equal(t?.images[0]?.attribution, 'TMDb');
      assert.equal(t?.images[0]?.seenAt, T2.toISOString());
    });

    test('re-ingestion updates, never duplicates: same record, later run → same rows, later seen_at', async () => {
      const again = await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix()), seenAt: T3 });
      assert.equal(again.counts.unchanged, 1);
      const rows = await imageRows();
      assert.equal(rows.length, 2);
      assert.equal(rows.find((r) => r.source === 'tmdb:US')?.seen_at?.toISOString(), T3.toISOString());
      // An older snapshot never makes the image look older.
      await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix()), seenAt: T1 });
      assert.equal((await imageRows()).find((r) => r.source === 'tmdb:US')?.seen_at?.toISOString(), T3.toISOString());
    });

    test('a changed poster replaces the reference in place (and the URL’s version); a dropped one goes', async () => {
      const before = (await getTitle(db, titleId))!.images[0]!.url;
      await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix('/aNewPosterPath123.jpg')), seenAt: T3 });
      const rows = await imageRows();
      assert.equal(rows.length, 2);
      assert.equal(rows.find((r) => r.source === 'tmdb:US')?.ref, '/aNewPosterPath123.jpg');
      const changed = (await getTitle(db, titleId))!.images[0]!;
      assert.equal(changed.source, 'tmdb');
      assert.notEqual(changed.url, before, 'a new upstream image gets a new URL');

      await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix(null)), seenAt: T3 });
      assert.deepEqual(
        (await imageRows()).map((r) => r.source),
        ['justwatch:US'],
      );
      assert.equal((await getTitle(db, titleId))!.images[0]?.source, 'justwatch');
    });

    test('provider logos: one reference per provider and source, kept for registry providers too', async () => {
      const count = async () =>
        Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM provider_logos')).rows[0]!.n);
      const n = await count();
      assert.ok(n >= 2, `${n} logos`);
      await ingest({ db, source: sourceOf('tmdb:US', tmdbMatrix('/another.jpg')), seenAt: T3 });
      assert.equal(await count(), n, 're-ingestion adds no logo rows');
      const apple = await loadProviderLogos(db, 'apple-tv-store');
      assert.equal(apple?.name, 'Apple TV Store');
      assert.deepEqual(apple?.logos[0], { source: 'tmdb', ref: '/peURlLlr8jggOwK53fJ5wdQl05y.jpg' });

      // Streaming Availability: its stable service logo is kept, its signed poster is not.
      const page = fixtureJson('streaming-availability', 'filters-1.json') as { shows: unknown[] };
      await ingest({
        db,
        source: sourceOf('streaming-availability:US', mapSaShow(SaShow.parse(page.shows[0]), 'US').record),
        seenAt: T3,
      });
      const sa = await db.query<{ ref: string }>(
        `SELECT ref FROM provider_logos WHERE provider_id = 'netflix' AND image_source = 'streaming-availability'`,
      );
      assert.deepEqual(
        sa.rows.map((r) => r.ref),
        ['https://media.movieofthenight.com/services/netflix/logo-light-theme.svg'],
      );
      const saImages = await db.query(`SELECT 1 FROM title_images WHERE source = 'streaming-availability:US'`);
      assert.equal(saImages.rows.length, 0);
      assert.equal(await loadProviderLogos(db, 'no-such-provider'), undefined);
    });
  });
}
