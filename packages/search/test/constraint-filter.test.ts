import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { type CatalogEntry, type SearchIntent, TitleCatalog, titleKey } from '../src/index.ts';
import { compileCandidateConstraints, compileConstraints, type Constraints } from '../src/retrieve/filters.ts';
import { emptyIntent } from '../src/understand/intent.ts';

/** The constraints read from the entry's fields alone, as the predicate was written before its bitsets. */
function reference(c: Constraints, catalog: TitleCatalog): (e: CatalogEntry) => boolean {
  const i = c.intent;
  const people = i.people.map((p) => catalog.titlesOf(p.name, p.role));
  return (e) => {
    if (i.type && e.kind !== i.type) return false;
    if (!i.genres.every((g) => e.genres.includes(g))) return false;
    if (!i.moods.every((m) => m.anyOf.some((g) => e.genres.includes(g)))) return false;
    if (i.excludeGenres.some((g) => e.genres.includes(g))) return false;
    if (i.yearFrom !== undefined && (e.year === null || e.year < i.yearFrom)) return false;
    if (i.yearTo !== undefined && (e.year === null || e.year > i.yearTo)) return false;
    if (i.runtimeMax !== undefined && (e.runtime === null || e.runtime > i.runtimeMax)) return false;
    if (i.maxAge !== undefined && (e.minAge === null || e.minAge > i.maxAge)) return false;
    if (
      (i.countries.length || i.languages.length) &&
      !i.countries.some((x) => e.countries.includes(x)) &&
      !i.languages.some((x) => e.languages.includes(x))
    )
      return false;
    if (!people.every((ids) => ids.has(e.id))) return false;
    const here = e.offers.get(c.region);
    if (!here || here.size === 0) return false;
    if (c.services.length && !c.services.some((p) => here.has(p))) return false;
    if (i.excludeServices.some((p) => here.has(p))) return false;
    if (e.hasEndDates)
      return e.offerList.some(
        (o) =>
          o.region === c.region &&
          (o.until === null || o.until > c.now) &&
          (!c.services.length || c.services.includes(o.platform)),
      );
    return true;
  };
}

for (const backend of testBackends()) {
  describe(`constraint predicate: bitsets by popularity rank (${backend})`, () => {
    let db: Db;
    let catalog: TitleCatalog;
    before(async () => {
      db = await freshDb(backend);
      await ingest({ db, source: sampleSource() });
      catalog = await TitleCatalog.load(db);
    });
    after(async () => {
      await db.close();
    });

    const constraints = (intent: Partial<SearchIntent>, services: string[] = []): Constraints => ({
      intent: { ...emptyIntent(), ...intent },
      region: 'US',
      services,
      now: Date.now(),
    });

    /** A spread of constraint sets, from the catalog's own genres, people and services. */
    function cases(): Constraints[] {
      const first = catalog.byPopularity[0]!;
      const director = catalog.byPopularity.find((e) => e.directors.length)!.directors[0]!;
      return [
        constraints({}),
        constraints({ type: 'movie' }),
        constraints({ type: 'series', genres: [first.genres[0]! as SearchIntent['genres'][number]] }),
        constraints({ moods: [{ mood: 'scary', anyOf: ['horror', 'thriller'], keywords: [] }] }),
        constraints({ excludeGenres: ['comedy'], yearFrom: 2000, runtimeMax: 120 }),
        constraints({ maxAge: 13, countries: ['US'], languages: ['ko'] }),
        constraints({ people: [{ name: director, role: 'director' }] }),
        constraints({ excludeServices: ['netflix'] }),
        constraints({ type: 'movie' }, ['netflix', 'hulu']),
        constraints({ yearTo: 1999 }, ['disney-plus']),
      ];
    }

    it('answers as the entry fields do, by entry, id, vector key and position', () => {
      let passed = 0;
      for (const c of cases()) {
        const expected = reference(c, catalog);
        const ok = compileConstraints(c, catalog);
        const candidates = compileCandidateConstraints(c, catalog);
        catalog.byPopularity.forEach((e, r) => {
          const want = expected(e);
          assert.equal(ok(e), want, `entry ${e.title}`);
          assert.equal(candidates.id(e.id), want, `id ${e.title}`);
          assert.equal(candidates.key(titleKey(e.id)), want ? e.id : undefined, `key ${e.title}`);
          assert.equal(candidates.rank(r), want, `rank ${e.title}`);
          if (want) passed++;
        });
        assert.equal(candidates.id('mg_unknown'), false);
      }
      assert.ok(passed > 20, `${passed} titles passed some constraint set`);
    });

    it('reads the entries once the catalog changed after compiling (bitsets describe the old version)', async () => {
      const c = constraints({ type: 'movie' }, ['netflix']);
      const candidates = compileCandidateConstraints(c, catalog);
      const ok = compileConstraints(c, catalog);
      const replaced = catalog.byPopularity.find((e) => e.kind === 'movie' && candidates.id(e.id))!;
      // A new most popular title moves every other one down a place in the popularity order.
      const path = `/tmp/mg-search-constraints-${process.pid}-${backend}.jsonl`;
      await writeFile(
        path,
        `${JSON.stringify({
          source: 'test',
          sourceKey: 'constraints-1',
          kind: 'movie',
          title: 'Vellum Harbour',
          year: 2022,
          runtimeMinutes: 101,
          genres: ['drama'],
          signals: { popularity: 1_000_000 },
          offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
        })}\n`,
      );
      await ingest({ db, source: await openFileSource(path) });
      assert.ok((await catalog.refresh(db)).length > 0, 'the catalog changed');
      assert.equal(catalog.byPopularity[0]!.title, 'Vellum Harbour');
      const expected = reference(c, catalog);
      catalog.byPopularity.forEach((e, r) => {
        const want = expected(e);
        assert.equal(candidates.id(e.id), want, `id ${e.title}`);
        assert.equal(candidates.key(titleKey(e.id)), want ? e.id : undefined, `key ${e.title}`);
        assert.equal(candidates.rank(r), want, `rank ${e.title}`);
        assert.equal(ok(e), want, `entry ${e.title}`);
      });
      // An entry object replaced since is still judged by its own fields.
      assert.equal(ok({ ...replaced, kind: 'series' }), false);
    });
  });
}
