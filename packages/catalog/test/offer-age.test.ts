import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offerAge, staleAfterDays } from '../src/queries/offer-age.ts';

const DAY = 86_400_000;

describe('offer age and staleness by source kind', () => {
  test('live sources use the live limit, files and the sample the file limit', () => {
    const policy = { liveDays: 2, fileDays: 30 };
    assert.equal(staleAfterDays('tmdb:US', policy), 2);
    assert.equal(staleAfterDays('watchmode:GB', policy), 2);
    assert.equal(staleAfterDays('youtube:US', policy), 2);
    assert.equal(staleAfterDays('netflix-csv', policy), 30);
    assert.equal(staleAfterDays('sample', policy), 30);
    assert.equal(staleAfterDays('tmdb:US'), 7, 'the default is 7 days for every kind');
  });

  test('stale exactly after the limit; never-dated offers are stale and say so', () => {
    const seen = new Date('2030-01-01T00:00:00Z');
    assert.equal(offerAge(seen, seen.getTime() + 3 * DAY, 3).isStale, false);
    assert.equal(offerAge(seen, seen.getTime() + 3 * DAY + 1, 3).isStale, true);
    assert.deepEqual(offerAge(null, Date.now(), 3), { label: 'as of unknown', isStale: true });
  });
});
