import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type SourceRecord, type SourceRecordInput, SourceRecordSchema } from '@media-gateway/domain';
import { evidenceOf, externalKeys, MERGE_THRESHOLD, resolveRecord, scoreCandidate } from '../src/resolve/resolver.ts';
import { TitleIndex } from '../src/resolve/title-index.ts';

let seq = 0;
function rec(input: Partial<SourceRecordInput> & { title: string }): SourceRecord {
  seq++;
  return SourceRecordSchema.parse({ source: 'test-a', sourceKey: `k${seq}`, kind: 'movie', ...input });
}

/** Adds records to an index the way the pipeline does, returning the title id each one got. */
function ingestAll(index: TitleIndex, records: SourceRecord[]): string[] {
  return records.map((r, i) => {
    const res = resolveRecord(r, index);
    const id = res.titleId ?? `t${seq}-${i}`;
    if (res.titleId) index.absorb(id, evidenceOf(r));
    else index.put({ id, kind: r.kind, ...evidenceOf(r) });
    for (const key of externalKeys(r)) if (!index.findExternal(key)) index.putExternal(key, id);
    return id;
  });
}

describe('entity resolution rules', () => {
  test('never merges two records with different IMDb ids, however alike', () => {
    const index = new TitleIndex();
    const a = rec({
      title: 'Crash',
      year: 2004,
      directors: ['Paul Haggis'],
      runtimeMinutes: 112,
      externalIds: { imdb: 'tt0375679' },
    });
    const b = rec({
      source: 'test-b',
      title: 'Crash',
      year: 2004,
      directors: ['Paul Haggis'],
      runtimeMinutes: 112,
      externalIds: { imdb: 'tt0115964' },
    });
    const [ida, idb] = ingestAll(index, [a, b]);
    assert.notEqual(ida, idb);
    assert.equal(scoreCandidate(b, evidenceOf(b), index.get(ida!)!), undefined, 'the hard rule refuses the candidate');
  });

  test('a shared external id merges with confidence 1 and says which id', () => {
    const index = new TitleIndex();
    ingestAll(index, [rec({ title: 'Taxi Driver', year: 1976, externalIds: { justwatch: 'tm84618' } })]);
    const res = resolveRecord(
      rec({ source: 'test-b', title: 'Taxi Driver', year: 1976, externalIds: { justwatch: 'tm84618' } }),
      index,
    );
    assert.equal(res.method, 'external-id');
    assert.equal(res.confidence, 1);
    assert.match(res.reason, /justwatch id tm84618/);
  });

  test('movies: year ±1 merges on agreeing evidence, ±2 never does', () => {
    const index = new TitleIndex();
    ingestAll(index, [
      rec({ title: 'Sands of Iwo Jima', year: 1950, genres: ['war', 'drama'], directors: ['Allan Dwan'] }),
    ]);
    const near = resolveRecord(
      rec({ source: 'test-b', title: 'Sands of Iwo Jima', year: 1949, genres: ['war', 'drama', 'action'] }),
      index,
    );
    assert.equal(near.method, 'evidence');
    assert.match(near.reason, /year ±1/);
    const far = resolveRecord(
      rec({
        source: 'test-b',
        title: 'Sands of Iwo Jima',
        year: 1948,
        genres: ['war', 'drama'],
        directors: ['Allan Dwan'],
      }),
      index,
    );
    assert.equal(far.method, 'new');
  });

  test('director overlap merges; a same-title same-year film by another director stays apart', () => {
    const index = new TitleIndex();
    const [original] = ingestAll(index, [
      rec({ title: 'Inception', year: 2010, directors: ['Christopher Nolan'], cast: ['Leonardo DiCaprio'] }),
    ]);
    const same = resolveRecord(
      rec({ source: 'test-b', title: 'Inception', year: 2010, directors: ['Christopher Nolan'] }),
      index,
    );
    assert.equal(same.titleId, original);
    assert.ok(same.confidence >= MERGE_THRESHOLD);
    assert.match(same.reason, /director/);
    const homonym = resolveRecord(
      rec({ source: 'test-b', title: 'Inception', year: 2010, directors: ['Someone Else'], cast: ['Nobody Known'] }),
      index,
    );
    assert.equal(homonym.method, 'new');
  });

  test('shared cast counts as evidence; disjoint cast counts against', () => {
    const index = new TitleIndex();
    const [id] = ingestAll(index, [
      rec({ title: 'Dark', kind: 'series', year: 2017, cast: ['Louis Hofmann', 'Oliver Masucci'], countries: ['DE'] }),
    ]);
    const withCast = rec({ source: 'test-b', kind: 'series', title: 'Dark', year: 2020, cast: ['Louis Hofmann'] });
    const withOthers = rec({
      source: 'test-b',
      kind: 'series',
      title: 'Dark',
      year: 2020,
      cast: ['Someone Else'],
      countries: ['US'],
    });
    const good = scoreCandidate(withCast, evidenceOf(withCast), index.get(id!)!)!;
    const bad = scoreCandidate(withOthers, evidenceOf(withOthers), index.get(id!)!)!;
    assert.ok(good.confidence > bad.confidence);
    assert.ok(bad.confidence < MERGE_THRESHOLD);
  });

  test('homonyms within one source stay apart: a catalog lists a work once', () => {
    const index = new TitleIndex();
    const [a, b] = ingestAll(index, [
      rec({ title: 'Bully', year: 2018, runtimeMinutes: 83 }),
      rec({ title: 'Bully', year: 2018, runtimeMinutes: 85 }),
    ]);
    assert.notEqual(a, b);
  });

  test('disjoint genres count against a match; neighbouring genres (adventure vs action) do not', () => {
    const index = new TitleIndex();
    ingestAll(index, [
      rec({ title: 'Zoo', year: 2018, genres: ['documentary'] }),
      rec({ source: 'test-c', title: 'Iron Will', year: 1994, genres: ['action', 'family'] }),
    ]);
    assert.equal(
      resolveRecord(rec({ source: 'test-b', title: 'Zoo', year: 2018, genres: ['horror'] }), index).method,
      'new',
    );
    assert.equal(
      resolveRecord(rec({ source: 'test-b', title: 'Iron Will', year: 1994, genres: ['adventure'] }), index).method,
      'evidence',
    );
  });

  test('a runtime far apart keeps same-title films apart', () => {
    const index = new TitleIndex();
    ingestAll(index, [rec({ title: 'Rangoon', year: 2017, runtimeMinutes: 167, genres: ['action', 'drama', 'war'] })]);
    const res = resolveRecord(
      rec({ source: 'test-b', title: 'Rangoon', year: 2017, runtimeMinutes: 127, genres: ['action', 'crime'] }),
      index,
    );
    assert.equal(res.method, 'new');
  });

  test('loose titles: numerals and subtitle parts find the candidate, but only with more evidence', () => {
    const index = new TitleIndex();
    ingestAll(index, [
      rec({ title: '3 Men and a Baby', year: 1987, genres: ['comedy', 'family'] }),
      rec({ title: 'Star Wars', year: 1977, genres: ['action', 'science-fiction'] }),
    ]);
    const numerals = resolveRecord(
      rec({ source: 'test-b', title: 'Three Men and a Baby', year: 1987, genres: ['comedy'] }),
      index,
    );
    assert.equal(numerals.method, 'evidence');
    assert.match(numerals.reason, /similar title/);
    const part = resolveRecord(
      rec({
        source: 'test-b',
        title: 'Star Wars: Episode IV - A New Hope',
        year: 1977,
        genres: ['science-fiction', 'adventure'],
      }),
      index,
    );
    assert.equal(part.method, 'evidence');
    const titleOnly = resolveRecord(rec({ source: 'test-b', title: 'Three Men and a Baby', year: 1987 }), index);
    assert.equal(titleOnly.method, 'new', 'a loose title and a year alone are not enough');
  });

  test('installments of a franchise stay apart though made by the same people (review of session 20)', () => {
    // Three Disney+ specials: before, "Prep & Landing" merged into "…: Operation Secret Santa" (a year apart, same
    // directors and cast), and then "…: Naughty vs. Nice" into that.
    const makers = { directors: ['Kevin Deters', 'Stevie Wermers-Skelton'], cast: ['Dave Foley', 'Sarah Chalke'] };
    const index = new TitleIndex();
    // Three sources, so that "a catalog lists a work once" does not decide it.
    const ids = ingestAll(index, [
      rec({
        ...makers,
        source: 'test-a',
        title: 'Prep & Landing: Operation Secret Santa',
        year: 2010,
        genres: ['animation', 'family'],
      }),
      rec({
        ...makers,
        source: 'test-b',
        title: 'Prep & Landing',
        year: 2009,
        runtimeMinutes: 23,
        genres: ['animation', 'family'],
      }),
      rec({
        ...makers,
        source: 'test-c',
        title: 'Prep & Landing: Naughty vs. Nice',
        year: 2011,
        genres: ['animation', 'family'],
      }),
    ]);
    assert.equal(new Set(ids).size, 3, ids.join());
    // The same film with and without its franchise, in the same year, still merges.
    const hope = resolveRecord(
      rec({ ...makers, source: 'test-d', title: 'Prep & Landing: The Original', year: 2009, genres: ['animation'] }),
      index,
    );
    assert.equal(hope.titleId, ids[1], hope.reason);
  });

  test('a documentary about a work, named after it, is not the work', () => {
    const index = new TitleIndex();
    ingestAll(index, [
      rec({
        kind: 'series',
        title: 'The Mandalorian',
        year: 2019,
        cast: ['Pedro Pascal', 'Carl Weathers'],
        genres: ['action', 'adventure', 'science-fiction'],
        countries: ['US'],
      }),
    ]);
    const docu = resolveRecord(
      rec({
        source: 'test-b',
        kind: 'series',
        title: 'Disney Gallery / Star Wars: The Mandalorian',
        year: 2020,
        cast: ['Jon Favreau', 'Dave Filoni', 'Pedro Pascal', 'Carl Weathers'],
        genres: ['action', 'adventure', 'documentary', 'family'],
        countries: ['US'],
      }),
      index,
    );
    assert.equal(docu.method, 'new', docu.reason);
  });

  test('subtitle parts never meet other parts ("Atom: The Beginning" vs "B: The Beginning")', () => {
    const index = new TitleIndex();
    ingestAll(index, [
      rec({ kind: 'series', title: 'Atom: The Beginning', year: 2017, genres: ['animation', 'science-fiction'] }),
    ]);
    const ev = evidenceOf(rec({ kind: 'series', title: 'B: The Beginning', year: 2018 }));
    assert.equal(index.candidates(ev.normTitles, ev).length, 0);
  });

  test('two equally good candidates: no merge (ambiguity margin)', () => {
    const index = new TitleIndex();
    // Put both directly: ingesting them one after the other would merge the second into the first.
    index.put({ id: 'first', kind: 'movie', ...evidenceOf(rec({ title: 'Alone', year: 2020, genres: ['horror'] })) });
    index.put({
      id: 'second',
      kind: 'movie',
      ...evidenceOf(rec({ title: 'Alone', year: 2020, genres: ['horror'], source: 'test-c' })),
    });
    const res = resolveRecord(rec({ source: 'test-b', title: 'Alone', year: 2020, genres: ['horror'] }), index);
    assert.equal(res.method, 'new');
  });

  test('series: a latest-season year close by still merges, a far one does not on title alone', () => {
    const index = new TitleIndex();
    ingestAll(index, [rec({ kind: 'series', title: 'The Chase', year: 2013, genres: ['reality'] })]);
    assert.equal(
      resolveRecord(
        rec({ source: 'test-b', kind: 'series', title: 'The Chase', year: 2014, genres: ['reality'] }),
        index,
      ).method,
      'evidence',
    );
    assert.equal(
      resolveRecord(
        rec({ source: 'test-b', kind: 'series', title: 'The Chase', year: 2021, genres: ['reality', 'family'] }),
        index,
      ).method,
      'new',
    );
  });

  test(
    'series: a year gap the seasons explain (latest vs first season) ' +
      'merges; the same gap without seasons does not',
    () => {
      const index = new TitleIndex();
      // The catalog CSV dates a series by its latest season, JustWatch by its first.
      const [latest] = ingestAll(index, [
        rec({
          kind: 'series',
          title: 'Breaking Bad',
          year: 2013,
          seasons: 5,
          genres: ['crime', 'drama'],
          countries: ['US'],
        }),
      ]);
      const first = rec({
        source: 'test-b',
        kind: 'series',
        title: 'Breaking Bad',
        year: 2008,
        seasons: 5,
        genres: ['crime', 'drama', 'thriller'],
        countries: ['US'],
      });
      const res = resolveRecord(first, index);
      assert.equal(res.titleId, latest);
      assert.match(res.reason, /seasons/);
      const other = new TitleIndex();
      ingestAll(other, [
        rec({
          kind: 'series',
          title: 'Shameless',
          year: 2011,
          seasons: 1,
          genres: ['comedy', 'drama'],
          countries: ['US'],
        }),
      ]);
      const unrelated = rec({
        source: 'test-b',
        kind: 'series',
        title: 'Shameless',
        year: 2004,
        seasons: 1,
        genres: ['comedy', 'drama'],
        countries: ['GB'],
      });
      assert.equal(
        resolveRecord(unrelated, other).titleId,
        undefined,
        'a 7-year gap that one season cannot explain stays apart',
      );
    },
  );

  test('different kinds never merge', () => {
    const index = new TitleIndex();
    ingestAll(index, [rec({ kind: 'series', title: 'Pride and Prejudice', year: 1995 })]);
    assert.equal(
      resolveRecord(rec({ source: 'test-b', title: 'Pride and Prejudice', year: 1995 }), index).method,
      'new',
    );
  });
});
