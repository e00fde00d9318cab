import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wordsMatched } from '../src/results.ts';
import { holdsAnyWord } from '../src/retrieve/word-match.ts';
import { bareEntry } from './catalog-entries.ts';

const panther = bareEntry({
  id: 'mg_aaaaaaaaaaaa',
  title: 'Black Panther',
  cast: ['Chadwick Boseman', 'John Kani'],
  description: 'King T’Challa returns home to the reclusive nation of Wakanda.',
});

test('a reason names whole words only, and where each matched: title, then credits, then description', () => {
  // "wick" is inside "Chadwick" but is no word of it; "john" is in the cast.
  assert.equal(wordsMatched(panther, 'john wick'), 'matches "john" in the credits');
  assert.equal(wordsMatched(panther, 'black king'), 'matches "black" in the title and "king" in the description');
  // Words like "the" and "of" are never named as matches.
  assert.equal(wordsMatched(panther, 'the black panther'), 'matches "black", "panther" in the title');
  assert.equal(wordsMatched(panther, 'stark'), undefined);
});

test('another form of the same word matches: plurals, and the stemmer’s joins of longer words', () => {
  const wars = bareEntry({ id: 'mg_aaaaaaaaaaab', title: 'Star Wars', description: 'A police officer.' });
  assert.equal(wordsMatched(wars, 'star war'), 'matches "star", "war" in the title');
  assert.equal(wordsMatched(wars, 'office'), 'matches "office" in the description');
  // Only English endings make another form: "star" is not in "stark", "space" not in "Spacey", "angel" not in
  // "Angela", "plane" not in "planet".
  assert.equal(wordsMatched(bareEntry({ id: 'mg_aaaaaaaaaaac', title: 'Tony Stark' }), 'star'), undefined);
  const spacey = bareEntry({ id: 'mg_aaaaaaaaaaad', title: 'Planet Angela', cast: ['Kevin Spacey'] });
  assert.equal(wordsMatched(spacey, 'space angel plane'), undefined);
  assert.equal(wordsMatched(bareEntry({ id: 'mg_aaaaaaaaaaae', title: 'The Runner' }), 'run'), undefined);
  assert.equal(
    wordsMatched(bareEntry({ id: 'mg_aaaaaaaaaaaf', title: 'Dancer' }), 'dance'),
    'matches "dance" in the title',
  );
  // A doubled consonant before -ing/-ed is the same word: "kidnapping" and "kidnaps", "kidnap" and "kidnapped".
  const taken = bareEntry({ id: 'mg_aaaaaaaaaaag', title: 'Taken', description: 'A girl is kidnapped in Paris.' });
  assert.equal(wordsMatched(taken, 'kidnap'), 'matches "kidnap" in the description');
  const kidnaps = bareEntry({ id: 'mg_aaaaaaaaaaah', title: 'Ransom', description: 'A gang kidnaps a boy.' });
  assert.equal(wordsMatched(kidnaps, 'kidnapping'), 'matches "kidnapping" in the description');
  // The full-text stemmer joins "harry" and "Harris" (both `harri`); a reason does not.
  assert.equal(
    wordsMatched(bareEntry({ id: 'mg_aaaaaaaaaaai', title: 'Lincoln', cast: ['Jared Harris'] }), 'harry'),
    undefined,
  );
});

test('holdsAnyWord finds every form hasWord accepts, accents folded, and not a name that only shares a stem', () => {
  const entry = (description: string, cast: string[] = []) => ({ title: 'X', directors: [], cast, description });
  assert.ok(holdsAnyWord(entry('Two stories of Amélie in Paris.'), ['story']));
  assert.ok(holdsAnyWord(entry('A story.'), ['stories']));
  assert.ok(holdsAnyWord(entry('Amélie smiles.'), ['amelie']));
  assert.ok(holdsAnyWord(entry('The girl is kidnapped.'), ['kidnap']));
  assert.ok(holdsAnyWord(entry('A gang kidnaps her.'), ['kidnapping']));
  assert.ok(!holdsAnyWord(entry('A president fights for a vote.', ['Jared Harris']), ['harry']));
});
