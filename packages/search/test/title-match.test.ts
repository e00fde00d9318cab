import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, TitleCatalog } from '../src/index.ts';
import { bareEntry, titleId } from './catalog-entries.ts';

const entry = (i: number, title: string) => bareEntry({ id: titleId(i), title, year: 2000, popularity: 1 });

/** 120 titles: 60 hold "the", 2 hold "professor", one is "The Professor and the Madman". */
function catalog(): TitleCatalog {
  const c = new TitleCatalog();
  for (let i = 0; i < 60; i++) c.upsert(entry(i, `The Night Number ${i}`));
  for (let i = 60; i < 118; i++) c.upsert(entry(i, `Morning Number ${i}`));
  c.upsert(entry(118, 'The Professor and the Madman'));
  c.upsert(entry(119, 'Professor Marston and the Wonder Women'));
  return c;
}

describe('title search leaves out words most titles hold', () => {
  it('drops a word in more titles than the limit while a rarer one remains; all the rest must still match', () => {
    const c = catalog();
    // "the" is in 62 of 121 titles (over the small-catalog floor of 50); "and" in 2, "professor" in 2.
    assert.equal(c.titleQuery('the professor and the madman'), 'professor and madman');
    assert.deepEqual(c.matchTitles('The Professor and the Madman', 5), [titleId(118)]);
    assert.deepEqual(c.matchTitles('professor wonder', 5), [titleId(119)]);
  });

  it('repairs typos when the words as typed match no title together', () => {
    const c = catalog();
    assert.deepEqual(c.matchTitles('the profesor and the madmen', 5), [titleId(118)]);
    // A real word typed for another ("marsten" for "marston") still finds the title when nothing else has both.
    assert.deepEqual(c.matchTitles('professor marsten', 5), [titleId(119)]);
  });

  it('keeps every word when all are common (a title of common words stays findable)', () => {
    const c = catalog();
    assert.equal(c.titleQuery('the'), 'the');
    assert.equal(c.matchTitles('the', 20).length, 20);
  });

  it('follows the catalog: a renamed title no longer counts for its old words', () => {
    const c = catalog();
    for (let i = 0; i < 20; i++) c.upsert(entry(i, `Evening Number ${i}`));
    // "the" is now in 42 titles: under the floor, so it is searched again.
    assert.equal(c.titleQuery('the professor'), 'the professor');
  });
});

describe('[Q13] a name typed for a title must cover most of its name, not only be found in it', () => {
  /** Titles whose names hold "godfather" (none is The Godfather), and titles typed by part of their name. */
  function named(): TitleCatalog {
    const c = new TitleCatalog();
    const titles: Array<[string, number, 'movie' | 'series']> = [
      ['Godfather of Harlem', 4.1, 'series'],
      ['Disco Godfather', 3.2, 'movie'],
      ['The Black Godfather', 3.1, 'movie'],
      ['Inception', 6, 'movie'],
      ['Stranger Things', 6, 'series'],
      ['Office Space', 5.4, 'movie'],
      ['The Office', 5, 'series'],
      ['Mad Max: Fury Road', 5, 'movie'],
      ['The Grand Budapest Hotel', 4, 'movie'],
      ['The Nightmare Before Christmas', 4, 'movie'],
      ["Mr. Holland's Opus", 3, 'movie'],
      ['Nightmare', 2, 'movie'],
    ];
    titles.forEach(([title, popularity, kind], i) => {
      c.upsert(bareEntry({ id: titleId(i), title, kind, year: 2000, popularity }));
    });
    return c;
  }
  const found = (c: TitleCatalog, typed: string) => c.findTitle(typed)?.title;

  it('reads typos, a missing plural and the filler words of a name', () => {
    const c = named();
    assert.equal(found(c, 'inceptoin'), 'Inception');
    assert.equal(found(c, 'stranger thing'), 'Stranger Things');
    assert.equal(found(c, 'office'), 'The Office');
    assert.equal(found(c, 'grand budapest'), 'The Grand Budapest Hotel', 'two of its three words');
  });

  it('reads either side of a subtitle as a name of its own', () => {
    const c = named();
    assert.equal(found(c, 'fury road'), 'Mad Max: Fury Road');
    assert.equal(found(c, 'mad max'), 'Mad Max: Fury Road');
  });

  it('does not take one word of a longer name for the title (the anchor is reported instead)', () => {
    const c = named();
    for (const typed of ['the godfather', 'godfather', 'budapest', 'max'])
      assert.equal(found(c, typed), undefined, typed);
    const i = parseQuery('movies like the godfather', c);
    assert.deepEqual(i.like, []);
    assert.match(i.notUnderstood[0]?.reason ?? '', /no title in the catalog matches "the godfather"/);
  });

  it('reads a title typed in full past the words and punctuation that otherwise end the phrase', () => {
    const c = named();
    for (const [query, title] of [
      ['something like the nightmare before christmas on netflix', 'The Nightmare Before Christmas'],
      ["like mr. holland's opus", "Mr. Holland's Opus"],
    ] as const) {
      const i = parseQuery(query, c);
      assert.equal(i.like[0]?.title, title, query);
      assert.equal(i.text, '', query);
    }
    // Within the phrase, the words are looked up as before: "nightmare" alone is the film of that name.
    assert.equal(parseQuery('like nightmare on netflix', c).like[0]?.title, 'Nightmare');
  });
});
