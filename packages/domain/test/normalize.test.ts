import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTitleId, normalizeTitle, parsePythonList, splitList, toImdbId } from '../src/index.ts';

describe('title normalisation (matching key)', () => {
  test('drops diacritics and case, spells & as and, removes apostrophes, collapses punctuation', () => {
    assert.equal(normalizeTitle('Amélie'), 'amelie');
    assert.equal(normalizeTitle('Tom & Jerry'), 'tom and jerry');
    assert.equal(normalizeTitle("Schindler's List"), 'schindlers list');
    assert.equal(normalizeTitle('Schindler’s List'), 'schindlers list', 'typographic apostrophe');
    assert.equal(normalizeTitle('  Mission: Impossible -- Fallout!  '), 'mission impossible fallout');
    assert.equal(normalizeTitle('Ｆｕｌｌ－ｗｉｄｔｈ'), 'full width', 'NFKD folds compatibility forms');
    assert.equal(normalizeTitle('Crouching Tiger, Hidden Dragon'), 'crouching tiger hidden dragon');
  });

  test('moves a trailing article after a comma to the front, and only then', () => {
    assert.equal(normalizeTitle('Matrix, The'), 'the matrix');
    assert.equal(normalizeTitle('Misérables, Les'), 'les miserables');
    assert.equal(normalizeTitle('Into the Wild'), 'into the wild');
    assert.equal(normalizeTitle('Bringing Down the House'), 'bringing down the house');
    assert.equal(normalizeTitle('A Star Is Born'), 'a star is born');
    assert.equal(normalizeTitle('Matrix, The'), normalizeTitle('The Matrix'), 'both spellings match');
  });

  test('keeps letters and digits of every script', () => {
    assert.equal(normalizeTitle('千と千尋の神隠し'), '千と千尋の神隠し');
    assert.equal(normalizeTitle('2001: A Space Odyssey'), '2001 a space odyssey');
  });
});

describe('list parsing', () => {
  test('comma lists trim and drop blanks', () => {
    assert.deepEqual(splitList(' Ana de Armas,  Daniel Craig ,,'), ['Ana de Armas', 'Daniel Craig']);
    assert.deepEqual(splitList(''), []);
    assert.deepEqual(splitList(null), []);
  });

  test('Python-style lists from the JustWatch CSVs', () => {
    assert.deepEqual(parsePythonList("['drama', 'crime']"), ['drama', 'crime']);
    assert.deepEqual(parsePythonList('["Scott Frank", \'Allan Scott\']'), ['Scott Frank', 'Allan Scott']);
    assert.deepEqual(parsePythonList("['a, b', ' ']"), ['a, b'], 'a comma inside quotes is not a separator');
    assert.deepEqual(parsePythonList('[]'), []);
    assert.deepEqual(parsePythonList('drama, crime'), [], 'not a list literal');
    assert.deepEqual(parsePythonList(undefined), []);
  });
});

describe('ids', () => {
  test('title ids are mg_ and 12 base32 characters', () => {
    assert.ok(isTitleId('mg_abcdefgh2345'));
    for (const bad of ['mg_abcdefgh234', 'mg_abcdefgh23456', 'mg_ABCDEFGH2345', 'mg_abcdefgh2340', 'tt0111161'])
      assert.ok(!isTitleId(bad), bad);
  });

  test('IMDb ids normalise to tt + at least 7 digits', () => {
    assert.equal(toImdbId('tt0111161'), 'tt0111161');
    assert.equal(toImdbId('111161'), 'tt0111161');
    assert.equal(toImdbId(111161), 'tt0111161');
    assert.equal(toImdbId(' TT0111161 '), 'tt0111161');
    assert.equal(toImdbId('tt01064932'), 'tt1064932', 'over-padded');
    assert.equal(toImdbId('tt12345678'), 'tt12345678');
    for (const bad of ['', 'tt', 'tt0', '0', 'nm0000123', 'tt1234567890', 'tt12a4567', null, undefined])
      assert.equal(toImdbId(bad), undefined, String(bad));
  });
});
