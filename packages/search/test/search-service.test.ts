import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { EMPTY_CATALOG_NOTE } from '@media-gateway/domain/contracts';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { createSearchService, type SearchService } from '../src/index.ts';

/** Facts of a result straight from the database, to check constraints independently of the engine. */
async function facts(db: Db, id: string) {
  const t = (
    await db.query<{
      kind: string;
      year: number;
      runtime_minutes: number;
      genres: string[];
      maturity_min_age: number | null;
      countries: string[];
      languages: string[];
      directors: string[];
    }>(
      'SELECT kind, year, runtime_minutes, genres, maturity_min_age, countries, languages, directors ' +
        'FROM titles WHERE id = $1',
      [id],
    )
  ).rows[0]!;
  const offers = (
    await db.query<{ platform: string; region: string }>('SELECT platform, region FROM offers WHERE title_id = $1', [
      id,
    ])
  ).rows;
  return { ...t, offers };
}

for (const backend of testBackends()) {
  describe(`search service (${backend})`, () => {
    let db: Db;
    let svc: SearchService;
    before(async () => {
      db = await freshDb(backend);
      await ingest({
        db,
        source: sampleSource(),
      });
      svc = await createSearchService({ db, refreshEveryMs: 0 });
    });
    after(async () => {
      await db.close();
    });

    // The sample has no scary Netflix movie under 2 hours (Bird Box runs 124 min), so the limit here is 3 hours.
    it(
      '[H1][H3][H6][H10][Q13] scary movies like Stranger Things on ' +
        'Netflix under 3 hours: every result meets every constraint',
      async () => {
        const res = await svc.search({
          query: 'scary movies like Stranger Things on Netflix under 3 hours',
          limit: 20,
        });
        assert.equal(res.understood.like[0]?.title, 'Stranger Things');
        assert.ok(res.results.length > 0, 'some result');
        for (const r of res.results) {
          const f = await facts(db, r.id);
          assert.equal(f.kind, 'movie');
          assert.ok(f.runtime_minutes <= 180, `${r.title} runtime ${f.runtime_minutes}`);
          assert.ok(
            f.genres.some((g) => g === 'horror' || g === 'thriller'),
            `${r.title} genres ${f.genres}`,
          );
          assert.ok(f.offers.some((o) => o.platform === 'netflix' && o.region === 'US'));
          assert.ok(
            r.offers.length > 0 &&
              r.offers.every(
                (o) =>
                  o.platform === 'netflix' && !!o.url?.startsWith('http') && ['direct', 'search'].includes(o.urlKind),
              ),
          );
          assert.ok(r.why.length > 0);
          assert.notEqual(r.title, 'Stranger Things');
        }
      },
    );

    it('[H9][H2] korean dramas are from Korea (or in Korean) and dramas', async () => {
      const res = await svc.search({ query: 'korean dramas' });
      assert.ok(res.results.length > 0);
      for (const r of res.results) {
        const f = await facts(db, r.id);
        assert.ok(f.countries.includes('KR') || f.languages.includes('ko'), `${r.title} ${f.countries}`);
        assert.ok(f.genres.includes('drama'));
      }
    });

    it('[H7][H4] something for kids on disney+ not animated', async () => {
      const res = await svc.search({ query: 'something for kids on disney+ not animated', limit: 50 });
      for (const r of res.results) {
        const f = await facts(db, r.id);
        assert.ok(f.maturity_min_age !== null && f.maturity_min_age <= 7, `${r.title} age ${f.maturity_min_age}`);
        assert.ok(!f.genres.includes('animation'), `${r.title} is animated`);
        assert.ok(f.offers.some((o) => o.platform === 'disney-plus'));
      }
    });

    it('[H8][Q10] directed by Christopher Nolan', async () => {
      const res = await svc.search({ query: 'directed by Christopher Nolan' });
      for (const r of res.results) assert.ok((await facts(db, r.id)).directors.includes('Christopher Nolan'));
    });

    it('[H5] feel-good 90s comedies on hulu: years, genre and service hold', async () => {
      const res = await svc.search({ query: 'feel-good 90s comedies on hulu', limit: 50 });
      for (const r of res.results) {
        const f = await facts(db, r.id);
        assert.ok(
          f.year >= 1990 &&
            f.year <= 1999 &&
            f.genres.includes('comedy') &&
            f.offers.some((o) => o.platform === 'hulu'),
        );
      }
    });

    it('[Q15] contradictory constraints give an explained empty answer', async () => {
      const res = await svc.search({ query: 'horror movies that are not horror' });
      assert.equal(res.results.length, 0);
      assert.match(res.understood.notes.join(' '), /nothing can match/);
    });

    it('[Q5][H2] a misspelt genre is read as that genre: every result meets it', async () => {
      const res = await svc.search({ query: 'comdies on netflix', limit: 20 });
      assert.deepEqual(res.understood.genres, ['comedy']);
      assert.ok(res.understood.notes.includes('"comdies" was read as "comedies".'), res.understood.notes.join(' | '));
      assert.ok(res.results.length > 0);
      for (const r of res.results) {
        const f = await facts(db, r.id);
        assert.ok(f.genres.includes('comedy'), `${r.title}: ${f.genres}`);
        assert.ok(
          f.offers.some((o) => o.platform === 'netflix' && o.region === 'US'),
          r.title,
        );
      }
    });

    it("[N2] words no title holds, beside only a service: that service's titles, each missing the words", async () => {
      const res = await svc.search({ query: 'zzzqqq on netflix' });
      assert.deepEqual(res.results, []);
      const near = res.nearMatches ?? [];
      assert.ok(near.length > 0, res.understood.notes.join(' | '));
      for (const n of near) {
        assert.deepEqual(n.misses, ['no match for "zzzqqq"'], n.title);
        assert.ok(
          n.offers.some((o) => o.platform === 'netflix'),
          n.title,
        );
      }
      assert.match(res.understood.notes.join(' '), /The closest titles below each say what they miss/);
      // Words alone still get none: with nothing else asked, every title would be as close as any other.
      assert.equal((await svc.search({ query: 'zzzqqq' })).nearMatches, undefined);
    });

    it('free text finds a title by its words, with typo tolerance on titles', async () => {
      const res = await svc.search({ query: 'squid gmae' });
      assert.equal(res.results[0]?.title, 'Squid Game');
    });

    it('pages with a cursor without repeats; [I5] a foreign cursor is refused', async () => {
      const p1 = await svc.search({ query: 'drama', limit: 3 });
      assert.ok(p1.nextCursor);
      const p2 = await svc.search({ query: 'drama', limit: 3, cursor: p1.nextCursor });
      assert.equal(
        new Set([...p1.results, ...p2.results].map((r) => r.id)).size,
        p1.results.length + p2.results.length,
      );
      await assert.rejects(svc.search({ query: 'comedy', cursor: p1.nextCursor }), /cursor/);
    });

    it('follows catalog_events: a title ingested after start is found by text and by vector', async () => {
      const line = JSON.stringify({
        source: 'test',
        sourceKey: 'zq-1',
        kind: 'movie',
        title: 'Zorblax Quasar Heist',
        year: 2020,
        runtimeMinutes: 95,
        genres: ['science-fiction'],
        description: 'A crew of thieves plans a heist on a quasar.',
        offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
      });
      const { writeFile } = await import('node:fs/promises');
      const path = `/tmp/mg-search-test-${process.pid}-${backend}.jsonl`;
      await writeFile(path, `${line}\n`);
      const { openFileSource } = await import('@media-gateway/catalog');
      await ingest({ db, source: await openFileSource(path) });
      const before = svc.vectors!.size;
      const res = await svc.search({ query: 'zorblax' });
      assert.equal(res.results[0]?.title, 'Zorblax Quasar Heist');
      assert.equal(svc.vectors!.size, before + 1);
    });

    it('[H8] a changed cast list is followed: the old credit no longer matches', async () => {
      const { writeFile } = await import('node:fs/promises');
      const { openFileSource } = await import('@media-gateway/catalog');
      const path = `/tmp/mg-search-cast-${process.pid}-${backend}.jsonl`;
      const record = (cast: string[]) =>
        JSON.stringify({
          source: 'test',
          sourceKey: 'cast-1',
          kind: 'movie',
          title: 'Plinth Harbor',
          year: 2019,
          runtimeMinutes: 100,
          genres: ['drama'],
          cast,
          offers: [{ platform: 'hulu', region: 'US', monetization: 'subscription' }],
        });
      await writeFile(path, `${record(['Wendeline Orsk', 'Tamsin Vey'])}\n`);
      await ingest({ db, source: await openFileSource(path) });
      await svc.refresh();
      assert.deepEqual(
        (await svc.search({ query: 'movies with Wendeline Orsk' })).results.map((r) => r.title),
        ['Plinth Harbor'],
      );
      await writeFile(path, `${record(['Tamsin Vey'])}\n`);
      await ingest({ db, source: await openFileSource(path) });
      await svc.refresh();
      const after = await svc.search({ query: 'movies with Wendeline Orsk' });
      assert.ok(!after.results.some((r) => r.title === 'Plinth Harbor'));
    });

    it(
      '[background] answers words-only with a note while the ' +
        'index loads (trained on a worker thread), then uses vectors',
      async () => {
        const bg = await createSearchService({ db, refreshEveryMs: 0, background: true });
        const loaded = () => bg.vectors; // a function, so the assertion below does not narrow later reads
        assert.equal(loaded(), undefined, 'the index is still loading when the service is returned');
        const early = await bg.search({ query: 'heist' });
        assert.ok(
          early.understood.notes.some((n) => /still loading/.test(n)),
          JSON.stringify(early.understood.notes),
        );
        assert.ok(early.results.length > 0);
        for (const r of early.results) assert.ok(!r.why.includes('meaning'), r.why);
        // "like X" without vectors: titles sharing the anchor's genres, never the anchor itself.
        const like = await bg.search({ query: 'like Stranger Things' });
        assert.ok(like.results.length > 0);
        assert.ok(!like.results.some((r) => r.title === 'Stranger Things'));
        await bg.ready();
        assert.equal(loaded()?.size, bg.catalog.size);
        const later = await bg.search({ query: 'heist' });
        assert.ok(!later.understood.notes.some((n) => /still loading/.test(n)));
      },
    );

    it('pages past the diversified head (the first 100) without repeats or gaps', async () => {
      // 150 fixture titles sharing one word: a list deep enough to page past the titles picked for variety.
      const lines = Array.from({ length: 150 }, (_, i) =>
        JSON.stringify({
          source: 'test',
          sourceKey: `deep-${i}`,
          kind: 'movie',
          title: `Quillon Reach ${i + 1}`,
          year: 1990 + (i % 30),
          runtimeMinutes: 90 + (i % 40),
          genres: [['drama', 'comedy', 'thriller'][i % 3]],
          signals: { popularity: 10 + i },
          offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
        }),
      );
      const { writeFile } = await import('node:fs/promises');
      const { openFileSource } = await import('@media-gateway/catalog');
      const path = `/tmp/mg-search-deep-${process.pid}-${backend}.jsonl`;
      await writeFile(path, `${lines.join('\n')}\n`);
      await ingest({ db, source: await openFileSource(path) });
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const res = await svc.search({ query: 'quillon', limit: 20, ...(cursor ? { cursor } : {}) });
        seen.push(...res.results.map((r) => r.id));
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      assert.equal(seen.length, 150, 'every title once the pages are read');
      assert.equal(new Set(seen).size, 150, 'no title twice');
      // One order: a longer first page is the same titles as the first pages read in turn.
      const long = await svc.search({ query: 'quillon', limit: 50 });
      assert.deepEqual(
        long.results.map((r) => r.id),
        seen.slice(0, 50),
      );
    });
  });

  describe(`search of an empty catalog (${backend})`, () => {
    it('says the catalog is empty, not that the constraints exclude everything', async () => {
      const db = await freshDb(backend);
      try {
        const svc = await createSearchService({ db, refreshEveryMs: 0 });
        const res = await svc.search({ query: 'feel-good comedies on netflix' });
        assert.deepEqual(res.results, []);
        assert.equal(res.nearMatches, undefined);
        assert.deepEqual(res.understood.notes, [EMPTY_CATALOG_NOTE]);
      } finally {
        await db.close();
      }
    });
  });
}
