import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource, sampleSource } from '@media-gateway/catalog';
import { type Db, isDatabaseUnavailable } from '@media-gateway/db';
import { DomainError, noopLogger } from '@media-gateway/domain';
import { freshDb } from '@media-gateway/testkit';
import { createSearchService, type SearchService, SearchWorker, SearchWorkerGone } from '../src/index.ts';

/**
 * The search worker thread (decision 0124) answers from its own copy of the index the service saved, and must
 * answer exactly as the service itself would: same JSON, same errors, the caller's clock and catalog position.
 */
describe('search on a worker thread', () => {
  let db: Db;
  let dir: string;
  let service: SearchService;
  let worker: SearchWorker;
  // A clock a year and a half after the sample was ingested: its offers are stale by it, not by the system clock.
  const now = Date.now() + 540 * 86_400_000;
  before(async () => {
    db = await freshDb('pglite');
    await ingest({ db, source: sampleSource() });
    dir = await mkdtemp(join(tmpdir(), 'mg-search-worker-'));
    service = await createSearchService({ db, dataDir: dir, refreshEveryMs: 0 });
    worker = new SearchWorker({ dataDir: dir, backend: db.backend }, db, noopLogger);
    await worker.ready;
  });
  after(async () => {
    await worker.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const both = async (req: Parameters<SearchService['search']>[0]) => {
    const there = await worker.answer(req, { seq: service.catalog.lastSeq, now });
    const here = await service.search(req, { now });
    // Byte for byte: the text the route sends is the text the service's answer serialises to.
    assert.equal(there.json, JSON.stringify(here), req.query);
    return { there: JSON.parse(there.json) as typeof here, here, stages: there.stages };
  };

  it('answers as the service does: results, near matches, pages and the clock it is given', async () => {
    for (const query of [
      'scary movies like Stranger Things on Netflix under 2 hours',
      'korean dramas',
      'heist',
      'feel-good comedies from the 90s',
    ]) {
      const { stages } = await both({ query, limit: 5 });
      assert.ok(
        stages.some(([stage]) => stage === 'total'),
        `stage timings come back: ${JSON.stringify(stages)}`,
      );
    }
    const first = await both({ query: 'drama', limit: 3 });
    assert.ok(first.here.nextCursor, 'more than one page');
    const second = await both({ query: 'drama', limit: 3, cursor: first.here.nextCursor });
    assert.notEqual(second.there.results[0]?.id, first.there.results[0]?.id);
    const offers = first.there.results.flatMap((r) => r.offers);
    assert.ok(offers.length > 0 && offers.every((o) => o.isStale), 'offers judged by the given clock: all stale');
  });

  it('gives back the errors the service throws, as domain errors with their code', async () => {
    await assert.rejects(
      worker.answer({ query: 'drama', cursor: 'not-a-cursor' }, { seq: 0, now }),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'INVALID_INPUT' && /cursor/.test(error.message),
    );
  });

  it('asks the caller for the person’s taste, and ranks with it as the service does', async () => {
    const asked: string[][] = [];
    const horror = [...service.catalog.entries.values()].filter((e) => e.genres.includes('horror')).map((e) => e.id);
    const personal = {
      weight: 0.5,
      affinity: async (ids: string[]) => {
        asked.push(ids);
        return new Map(ids.filter((id) => horror.includes(id)).map((id, i) => [id, 1 - i / 100]));
      },
    };
    const { there } = await both({ query: 'something to watch tonight', personal });
    assert.equal(asked.length, 2, 'asked once by each');
    assert.ok(there.understood.notes.some((n) => n.startsWith('Ranked for you')));
  });

  it('catches up to the caller’s catalog position before answering', async () => {
    const path = join(dir, 'late.jsonl');
    const line = {
      source: 'test',
      sourceKey: 'w-1',
      kind: 'movie',
      title: 'Quillon Lantern',
      year: 2020,
      genres: ['drama'],
      description: 'A lighthouse keeper finds a lantern.',
      offers: [{ platform: 'hulu', region: 'US', monetization: 'subscription' }],
    };
    await writeFile(path, `${JSON.stringify(line)}\n`);
    await ingest({ db, source: await openFileSource(path) });
    await service.refresh();
    const { there } = await both({ query: 'quillon lantern' });
    assert.equal(there.results[0]?.title, 'Quillon Lantern');
  });

  it('passes a database error on with its code (the gateway answers 503 for a server going away)', async () => {
    let down = false;
    // The real database, with PostgreSQL's own error for a server shutting down once `down` is set.
    const cut: Db = {
      ...db,
      query: (sql, params) =>
        down
          ? Promise.reject(
              Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
            )
          : db.query(sql, params),
    };
    const flaky = new SearchWorker({ dataDir: dir, backend: db.backend }, cut, noopLogger);
    try {
      await flaky.ready;
      down = true;
      // A catalog position ahead of the worker's makes it ask the database first.
      await assert.rejects(
        flaky.answer({ query: 'drama' }, { seq: service.catalog.lastSeq + 1, now }),
        (error: unknown) =>
          !(error instanceof DomainError) &&
          (error as { code?: string }).code === '57P01' &&
          isDatabaseUnavailable(error),
      );
      down = false;
      assert.equal(JSON.parse((await flaky.answer({ query: 'drama' }, { seq: 0, now })).json).results.length > 0, true);
    } finally {
      await flaky.close();
    }
  });

  it('rejects what is in flight with SearchWorkerGone when it stops, and answers nothing after', async () => {
    const spare = new SearchWorker({ dataDir: dir, backend: db.backend }, db, noopLogger);
    await spare.ready;
    const inFlight = assert.rejects(
      spare.answer({ query: 'drama' }, { seq: service.catalog.lastSeq, now }),
      SearchWorkerGone,
    );
    await spare.close();
    await inFlight;
    await assert.rejects(spare.answer({ query: 'drama' }, { seq: 0, now }), SearchWorkerGone);
    assert.equal(spare.stopped, true);
  });
});
