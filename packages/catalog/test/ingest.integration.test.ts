import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { getTitle, ingest, listMerges, openFileSource, overrideResolution } from '../src/index.ts';

const CATALOG_HEADER =
  'show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description';
const JW_HEADER =
  'id,title,type,description,release_year,age_certification,runtime,genres,' +
  'production_countries,seasons,imdb_id,imdb_score,imdb_votes,tmdb_popularity,tmdb_score';

async function files() {
  const dir = await mkdtemp(join(tmpdir(), 'mg-ingest-'));
  const netflix = join(dir, 'netflix_titles.csv');
  await writeFile(
    netflix,
    [
      CATALOG_HEADER,
      's1,Movie,Inception,Christopher Nolan,"Leonardo DiCaprio, Joseph Gordon-Levitt",United States,' +
        '"September 1, 2021",2010,PG-13,148 min,"Action & Adventure, Sci-Fi & Fantasy",A thief enters dreams.',
      's2,TV Show,Dark,,"Louis Hofmann, Oliver Masucci",Germany,"June 27, 2020",2020,' +
        'TV-MA,3 Seasons,"International TV Shows, TV Mysteries",A town with a secret.',
      's3,Movie,,Nobody,,,,2001,R,90 min,Dramas,Missing title.',
      's4,Movie,Bad Year,,,,,20x1,R,91 min,Dramas,Year is wrong.',
      's5,Movie,Shifted,,,,,2019,74 min,,Documentaries,Duration in the rating column.',
    ].join('\n'),
  );
  const hulu = join(dir, 'hulu_titles.csv');
  await writeFile(
    hulu,
    [
      CATALOG_HEADER,
      's1,Movie,Inception,Christopher Nolan,,United States,"October 1, 2021",' +
        '2010,PG-13,148 min,"Action, Science Fiction",Dreams within dreams.',
      's2,Movie,Inception,Someone Else,,France,,1987,R,95 min,Drama,A different film with the same name.',
    ].join('\n'),
  );
  const jw = join(dir, 'netflix_titles_jw.csv');
  await writeFile(
    jw,
    [
      JW_HEADER,
      'tm92641,Inception,MOVIE,Dream heist.,2010,PG-13,148,' +
        "\"['scifi', 'action']\",\"['US', 'GB']\",,tt1375666,8.8,2300000,80.1,8.4",
    ].join('\n'),
  );
  return { dir, netflix, hulu, jw };
}

for (const backend of testBackends()) {
  describe(`ingestion on ${backend}`, () => {
    let db: Db;
    let paths: Awaited<ReturnType<typeof files>>;
    before(async () => {
      db = await freshDb(backend);
      paths = await files();
    });
    after(async () => db.close());

    test('imports a catalog CSV, collects per-row problems and keeps going', async () => {
      const summary = await ingest({ db, source: await openFileSource(paths.netflix) });
      assert.equal(summary.status, 'completed');
      assert.equal(summary.counts.rows, 5);
      assert.equal(summary.counts.rejected, 1, 'the row without a title is rejected');
      assert.equal(summary.counts.recordsCreated, 4);
      const fields = summary.problems.map((p) => `${p.row}:${p.field}`);
      assert.ok(fields.includes('4:title'));
      assert.ok(fields.includes('5:release_year'));
      assert.ok(fields.includes('6:rating'), 'the shifted duration is reported');
    });

    test('a second run of the same file reports 0 changes', async () => {
      const again = await ingest({ db, source: await openFileSource(paths.netflix) });
      assert.equal(again.changes, 0);
      assert.equal(again.counts.unchanged, 4);
    });

    test('resolves the same film across platforms by evidence, and keeps a homonym apart', async () => {
      const summary = await ingest({ db, source: await openFileSource(paths.hulu) });
      assert.equal(summary.counts.mergedIntoExisting, 1);
      assert.equal(summary.counts.titlesCreated, 1, 'the 1987 "Inception" by another director is a different title');
      const merges = await listMerges(db);
      const merge = merges.find((m) => m.source === 'catalog-csv:hulu' && m.sourceKey === 's1');
      assert.ok(merge, 'the merge is listed');
      assert.ok(merge.confidence >= 0.8);
      assert.match(merge.reason, /director/);
    });

    test('a later run compares names as the first did: an installment in another file stays its own title', async () => {
      // Run 1 made "Prep & Landing: Operation Secret Santa"; run 2 (another platform, so another source) brings
      // "Prep & Landing", a year earlier, by the same people. The index loaded for run 2 must know run 1's
      // franchise part, or the evidence (directors, cast, year ±1) merges them.
      const dir = await mkdtemp(join(tmpdir(), 'mg-installments-'));
      const row = (key: string, title: string, year: number) =>
        `${key},Movie,${title},"Kevin Deters, Stevie Wermers-Skelton","Dave Foley, Sarah Chalke, Derek Richardson",` +
        `United States,"November 6, 2020",${year},TV-G,23 min,"Animation, Family",An elf unit at work.`;
      const disney = join(dir, 'disney_plus_titles.csv');
      await writeFile(disney, [CATALOG_HEADER, row('s46', 'Prep & Landing: Operation Secret Santa', 2010)].join('\n'));
      const prime = join(dir, 'amazon_prime_titles.csv');
      await writeFile(prime, [CATALOG_HEADER, row('s375', 'Prep & Landing', 2009)].join('\n'));
      await ingest({ db, source: await openFileSource(disney) });
      const second = await ingest({ db, source: await openFileSource(prime) });
      assert.equal(second.counts.titlesCreated, 1, JSON.stringify(second.counts));
      assert.equal(second.counts.mergedIntoExisting, 0);
    });

    test('an IMDb id from a JustWatch list joins the existing title; offers get search links, not direct', async () => {
      const summary = await ingest({
        db,
        source: await openFileSource(paths.jw, { format: 'justwatch-csv', platform: 'netflix' }),
      });
      assert.equal(summary.counts.mergedIntoExisting, 1);
      const merges = await listMerges(db);
      const m = merges.find((x) => x.source === 'justwatch-csv:netflix')!;
      const title = await getTitle(db, m.titleId);
      assert.ok(title);
      assert.equal(title.externalIds['imdb'], 'tt1375666');
      assert.deepEqual(Object.keys(title.offers['US'] ?? {}).sort(), ['hulu', 'netflix']);
      for (const offers of Object.values(title.offers['US']!)) {
        for (const o of offers) {
          assert.equal(o.urlKind, 'search');
          assert.match(o.url ?? '', /search/);
        }
      }
      assert.equal(title.provenance.length, 3);
    });

    test('an override splits a merge and survives re-ingestion', async () => {
      const merges = await listMerges(db);
      const hulu = merges.find((m) => m.source === 'catalog-csv:hulu' && m.sourceKey === 's1')!;
      const result = await overrideResolution(db, { source: 'catalog-csv:hulu', sourceKey: 's1', action: 'split' });
      assert.notEqual(result.titleId, hulu.titleId);
      const rerun = await ingest({ db, source: await openFileSource(paths.hulu) });
      assert.equal(rerun.changes, 0);
      const after = await listMerges(db, { titleId: result.titleId });
      assert.equal(after.length, 1);
      assert.equal(after[0]!.override, 'split');
      assert.ok(await getTitle(db, result.titleId));
    });
  });
}
