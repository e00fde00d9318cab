import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TitleCatalog } from '../src/index.ts';
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
