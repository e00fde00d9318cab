import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { datasetsDir } from '@media-gateway/testkit';
import { canonicalImdb } from '../eval/justwatch-records.ts';
import { parseMovieLensTitle, readMovieLens } from '../eval/movielens-records.ts';
import { scoreCrossPairs, scorePairs, unjudgeableCrossPairs } from '../eval/pair-metrics.ts';

describe('eval:er building blocks', () => {
  test('MovieLens titles: trailing article, alternates in parentheses, a.k.a., year', () => {
    assert.deepEqual(parseMovieLensTitle('Usual Suspects, The (1995)'), {
      title: 'The Usual Suspects',
      alternates: [],
      year: 1995,
    });
    assert.deepEqual(parseMovieLensTitle('City of Lost Children, The (Cité des enfants perdus, La) (1995)'), {
      title: 'The City of Lost Children',
      alternates: ['La Cité des enfants perdus'],
      year: 1995,
    });
    assert.deepEqual(parseMovieLensTitle('Seven (a.k.a. Se7en) (1995)'), {
      title: 'Seven',
      alternates: ['Se7en'],
      year: 1995,
    });
    assert.deepEqual(parseMovieLensTitle('Justice League: The New Frontier (2008) '), {
      title: 'Justice League: The New Frontier',
      alternates: [],
      year: 2008,
    });
    assert.deepEqual(parseMovieLensTitle('Babylon 5'), { title: 'Babylon 5', alternates: [] });
    assert.equal(parseMovieLensTitle("Âge d'or, L' (1930)").title, "L'Âge d'or");
  });

  test('IMDb ids get one spelling', () => {
    assert.equal(canonicalImdb('tt01064932'), 'tt1064932');
    assert.equal(canonicalImdb('tt0111161'), 'tt0111161');
    assert.equal(canonicalImdb(undefined), undefined);
  });

  test('pairwise scores count only judged records', () => {
    // truth: a a b b -  ; predicted: 1 1 1 2 2  → predicted judged pairs: (0,1) (0,2) (1,2) = 3, correct 1;
    // true pairs 2.
    const s = scorePairs(['a', 'a', 'b', 'b', undefined], ['1', '1', '1', '2', '2']);
    assert.equal(s.predictedPairs, 3);
    assert.equal(s.correctPairs, 1);
    assert.equal(s.truePairs, 2);
    assert.equal(s.precision, 1 / 3);
    assert.equal(s.recall, 1 / 2);
  });

  test('cross-group pairs and pairs the two truths cannot judge', () => {
    const labels = ['a', 'a', 'x', 'y'];
    const clusters = ['1', '1', '2', '2'];
    const groupA = [true, false, true, false];
    const cross = scoreCrossPairs(labels, clusters, groupA);
    assert.equal(cross.truePairs, 1);
    assert.equal(cross.predictedPairs, 2);
    assert.equal(cross.correctPairs, 1);
    assert.equal(unjudgeableCrossPairs(labels, clusters, groupA), 1, 'x and y are each unknown to the other group');
  });

  test('reads the real MovieLens files with hidden IMDb ids', async (t) => {
    const ds = datasetsDir();
    if (ds.dir === undefined) return t.skip(ds.skip);
    const records = await readMovieLens(join(ds.dir, 'movielens', 'ml-latest-small'));
    assert.equal(records.length, 9742);
    const suspects = records.find((r) => r.record.sourceKey === '50');
    assert.equal(suspects?.record.title, 'The Usual Suspects');
    assert.equal(suspects?.imdb, 'tt0114814');
    assert.equal(suspects?.record.externalIds.imdb, undefined, 'the resolver never sees the truth');
  });
});
