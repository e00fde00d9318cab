import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb } from '@media-gateway/testkit';
import { createSearchService } from '../src/index.ts';

/** A comedy series, better-known comedy films and lesser-known comedy series, all on Netflix. */
function fixture(): string[] {
  const title = (key: string, kind: 'movie' | 'series', popularity: number, genres = ['comedy']) =>
    JSON.stringify({
      source: 'test',
      sourceKey: key,
      kind,
      title: key,
      year: 2010,
      runtimeMinutes: kind === 'movie' ? 100 : 25,
      genres,
      description: 'Friends get into trouble at work.',
      signals: { popularity },
      offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
    });
  return [
    title('Paper Wharf', 'series', 50),
    title('Loud Film One', 'movie', 99),
    title('Loud Film Two', 'movie', 98),
    title('Loud Film Three', 'movie', 97),
    title('Quiet Series One', 'series', 5),
    title('Quiet Series Two', 'series', 4),
    title('Quiet Series Three', 'series', 3),
    title('Quiet Series Four', 'series', 2),
    // Shares X's kind but none of its genres: no likeness at all.
    title('Loud Drama Series', 'series', 95, ['drama']),
  ];
}

describe('"like X" prefers titles of X\'s kind among those sharing its genres', () => {
  let db: Db;
  before(async () => {
    db = await freshDb('pglite');
    const path = `/tmp/mg-like-kind-${process.pid}.jsonl`;
    await writeFile(path, `${fixture().join('\n')}\n`);
    await ingest({ db, source: await openFileSource(path) });
  });
  after(async () => {
    await db.close();
  });

  it('"like Paper Wharf" (a comedy series) lists the comedy series before the better-known comedy films', async () => {
    // Before the vectors load, titles sharing X's genres (and kind) are the whole "like" answer.
    const svc = await createSearchService({ db, refreshEveryMs: 0, background: true });
    const res = await svc.search({ query: 'like Paper Wharf' });
    assert.equal(res.understood.like[0]?.title, 'Paper Wharf');
    const titles = res.results.map((r) => r.title);
    assert.equal(titles[0], 'Quiet Series One', titles.join(', '));
    // The list is then diversified (and fused with the popularity prior), so a film may come between the series.
    assert.ok(titles.slice(0, 3).filter((t) => t.startsWith('Quiet Series')).length >= 2, titles.join(', '));
    assert.ok(!res.results.some((r) => r.title === 'Paper Wharf'), 'never the anchor itself');
    assert.ok(!titles.includes('Loud Drama Series'), 'the same kind without a shared genre is not "like" it');
    await svc.ready();
  });
});
