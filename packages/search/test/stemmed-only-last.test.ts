import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb } from '@media-gateway/testkit';
import { createSearchService } from '../src/index.ts';

const line = (key: string, popularity: number, extra: Record<string, unknown>) =>
  JSON.stringify({
    source: 'test',
    sourceKey: key,
    kind: 'movie',
    title: key,
    year: 2012,
    runtimeMinutes: 100,
    genres: ['drama'],
    signals: { popularity },
    offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
    ...extra,
  });

describe('a title the full text found only through the stemmer comes after the titles holding the words', () => {
  let db: Db;
  before(async () => {
    db = await freshDb('pglite');
    const path = `/tmp/mg-stemmed-only-${process.pid}.jsonl`;
    const lines = [
      // PostgreSQL's English stemmer makes both "Harry" and "Harris" `harri`.
      line('Statehouse', 99, { cast: ['Jared Harris'], description: 'A president fights for a vote.' }),
      line('Rose Garden', 1, { description: 'Harry grows roses by the sea.' }),
    ];
    await writeFile(path, `${lines.join('\n')}\n`);
    await ingest({ db, source: await openFileSource(path) });
  });
  after(async () => {
    await db.close();
  });

  it('"harry" lists the title about a Harry before a more popular one with a Harris in its cast', async () => {
    // Before the vectors load, the full text and the title match are the channels (a tiny catalog is all vector hits).
    const svc = await createSearchService({ db, refreshEveryMs: 0, background: true });
    const res = await svc.search({ query: 'harry' });
    assert.deepEqual(
      res.results.map((r) => r.title),
      ['Rose Garden', 'Statehouse'],
      'still listed, but after the whole-word match',
    );
    await svc.ready();
  });
});
