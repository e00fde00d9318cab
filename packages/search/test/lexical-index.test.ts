import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { createSearchService, type SearchService } from '../src/index.ts';
import { LexicalIndex, parseTsvector } from '../src/index/lexical-index.ts';
import { lexicalSearch } from '../src/retrieve/lexical.ts';

describe('parseTsvector', () => {
  it('reads lexemes, positions and weights as PostgreSQL prints them', () => {
    const m = parseTsvector("'heist':3A,9 'it''s':1B 'a\\\\b':2C 'x':4D");
    assert.deepEqual(m.get('heist'), [(3 << 14) | 3, 9]);
    assert.deepEqual(m.get("it's"), [(2 << 14) | 1]);
    assert.deepEqual(m.get('a\\b'), [(1 << 14) | 2]);
    assert.deepEqual(m.get('x'), [4]);
  });
});

describe('LexicalIndex compaction', () => {
  it('answers the same after thousands of changed titles are compacted away as a fresh index does', () => {
    const docs = (round: number) =>
      Array.from({ length: 50 }, (_, i) => [
        `t${i}`,
        `'heist':${1 + ((i + round) % 5)}A 'crew':${3 + (i % 7)},${9 + (round % 3)} 'bank':${2 + (i % 3)}D`,
      ]);
    const churned = new LexicalIndex();
    // 300 rounds of 50 titles: 14,950 dead slots, past the compaction threshold (10,000 and a quarter).
    for (let round = 0; round < 300; round++) for (const [id, tsv] of docs(round)) churned.upsert(id!, tsv!);
    assert.equal(churned.deadSlots, 14_950);
    churned.compactIfWorthIt();
    assert.equal(churned.deadSlots, 0);
    // The next change lands after the compacted titles, as after a reload.
    for (const [id, tsv] of docs(299).slice(0, 5)) churned.upsert(id!, tsv!);
    const fresh = new LexicalIndex();
    for (const [id, tsv] of docs(299)) fresh.upsert(id!, tsv!);
    const popularity = (id: string) => Number(id.slice(1));
    for (const mode of ['all', 'any'] as const) {
      for (const lexemes of [['heist'], ['heist', 'crew'], ['crew', 'bank']]) {
        const want = fresh.search(lexemes, mode, 20, popularity, 20);
        assert.ok(want.length > 0);
        assert.deepEqual(churned.search(lexemes, mode, 20, popularity, 20), want, `${mode} ${lexemes}`);
      }
    }
    assert.equal(churned.size, 50);
    assert.equal(churned.documentFrequency('heist'), 50);
  });
});

for (const backend of testBackends()) {
  describe(`in-memory lexical index (${backend})`, () => {
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

    const memory = () => ({
      index: svc.lexical!,
      popularity: (id: string) => svc.catalog.entries.get(id)?.popularity ?? 0,
    });

    it('is loaded with every title', () => {
      assert.ok(svc.lexical, 'loaded');
      assert.equal(svc.lexical.size, svc.catalog.size);
    });

    it('ranks like PostgreSQL ts_rank: same ids in the same order, same scores (float4)', async () => {
      const queries = [
        'heist',
        'stranger things',
        'space',
        'a family drama about the war',
        'the office',
        'dark crime thriller with a detective',
        'kids animated adventure',
        'love story in paris',
        'robots',
        'the',
      ];
      let compared = 0;
      for (const q of queries) {
        const sql = await lexicalSearch(db, q, 100, 20);
        const mem = await lexicalSearch(db, q, 100, 20, memory());
        assert.deepEqual(
          mem.map((h) => h.id),
          sql.map((h) => h.id),
          `same titles in the same order for "${q}"`,
        );
        for (let i = 0; i < sql.length; i++)
          assert.ok(Math.abs(mem[i]!.score - sql[i]!.score) <= 1e-6 * Math.max(1, sql[i]!.score), `score ${q} #${i}`);
        compared += sql.length;
      }
      assert.ok(compared > 20, `compared ${compared} hits`);
    });

    it('keeps the same best few as PostgreSQL when most matches are cut (the partial selection path)', async () => {
      let selected = 0;
      for (const q of ['family war love', 'dark crime detective', 'space adventure kids', 'life']) {
        for (const limit of [1, 3, 7]) {
          const sql = await lexicalSearch(db, q, limit, 20);
          const mem = await lexicalSearch(db, q, limit, 20, memory());
          assert.deepEqual(
            mem.map((h) => h.id),
            sql.map((h) => h.id),
            `"${q}" limit ${limit}`,
          );
          selected += sql.length;
        }
      }
      assert.ok(selected >= 20, `compared ${selected} hits`);
    });

    it('breaks broad ties by id, whatever the limit (every title equally popular)', async () => {
      const index = svc.lexical!;
      const flat = () => 0;
      let tiedCut = 0;
      for (const words of [['love'], ['family', 'war'], ['life', 'world', 'story']]) {
        const lexemes = (await index.lexemes(db, words)).flat();
        for (const mode of ['all', 'any'] as const) {
          const whole = index.search(lexemes, mode, 100_000, flat, 20);
          for (const limit of [1, 2, 5]) {
            const page = index.search(lexemes, mode, limit, flat, 20);
            assert.deepEqual(page, whole.slice(0, limit), `${words} ${mode} limit ${limit}`);
            if (whole.length > limit && whole[limit]!.score === page.at(-1)!.score) tiedCut++;
          }
        }
      }
      assert.ok(tiedCut > 0, 'some limit cut through a group of equal scores');
    });

    it('remembers popularity while its version stays the same, and asks again under a new one', async () => {
      const index = svc.lexical!;
      const lexemes = (await index.lexemes(db, ['love', 'family', 'war', 'world', 'life'])).flat();
      let asked = 0;
      const flat = () => {
        asked++;
        return 1;
      };
      const first = index.search(lexemes, 'any', 50, flat, 20, 7);
      const askedFirst = asked;
      assert.ok(first.length > 1 && askedFirst === first.length, `${asked} look-ups for ${first.length} hits`);
      // Same version: the remembered values answer, even from a function that would now say otherwise.
      const boosted = (id: string) => (id === first.at(-1)!.id ? 1000 : 1);
      assert.deepEqual(index.search(lexemes, 'any', 50, boosted, 20, 7), first);
      assert.equal(asked, askedFirst);
      // A new version asks again: the boosted title comes first.
      assert.equal(index.search(lexemes, 'any', 50, boosted, 20, 8)[0]!.id, first.at(-1)!.id);
      // Without a version nothing is remembered.
      assert.equal(index.search(lexemes, 'any', 50, boosted, 20)[0]!.id, first.at(-1)!.id);
    });

    it('follows catalog events: an ingested title is found by its words, a changed one by new words only', async () => {
      const path = `/tmp/mg-search-lexical-${process.pid}-${backend}.jsonl`;
      const record = (description: string) =>
        JSON.stringify({
          source: 'test',
          sourceKey: 'lexical-1',
          kind: 'movie',
          title: 'Quillon Drift',
          year: 2021,
          runtimeMinutes: 99,
          genres: ['drama'],
          description,
          offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
        });
      await writeFile(path, `${record('A lighthouse keeper befriends a glimmerfox.')}\n`);
      await ingest({ db, source: await openFileSource(path) });
      await svc.refresh();
      const found = await lexicalSearch(db, 'glimmerfox lighthouse', 10, 20, memory());
      assert.equal(svc.catalog.entries.get(found[0]!.id)?.title, 'Quillon Drift');
      assert.deepEqual(
        found.map((h) => h.id),
        (await lexicalSearch(db, 'glimmerfox lighthouse', 10, 20)).map((h) => h.id),
      );
      const res = await svc.search({ query: 'glimmerfox' });
      assert.equal(res.results[0]?.title, 'Quillon Drift');

      await writeFile(path, `${record('A ferry pilot raises a snowmole.')}\n`);
      await ingest({ db, source: await openFileSource(path) });
      await svc.refresh();
      assert.deepEqual(await lexicalSearch(db, 'glimmerfox', 10, 20, memory()), []);
      assert.equal(
        svc.catalog.entries.get((await lexicalSearch(db, 'snowmole', 10, 20, memory()))[0]!.id)?.title,
        'Quillon Drift',
      );
      assert.equal(svc.lexical!.size, svc.catalog.size);
    });

    it('answers through PostgreSQL when the in-memory index is off', async () => {
      // The same embedder as `svc`: a model fitted again on the grown catalog (word frequencies) would
      // reorder the vector channel, which is not what this compares.
      const off = await createSearchService({ db, refreshEveryMs: 0, lexicalInMemory: false, embedder: svc.embedder });
      assert.equal(off.lexical, undefined);
      const a = await off.search({ query: 'heist' });
      const b = await svc.search({ query: 'heist' });
      assert.deepEqual(
        a.results.map((r) => r.id),
        b.results.map((r) => r.id),
      );
    });
  });
}
