import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingest, openFileSource, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { freshDb } from '@media-gateway/testkit';
import { createSearchService, keyTitle, titleKey } from '../src/index.ts';

describe('vector index on disk', () => {
  let db: Db;
  let dir: string;
  before(async () => {
    db = await freshDb('pglite');
    await ingest({
      db,
      source: sampleSource(),
    });
    dir = await mkdtemp(join(tmpdir(), 'mg-search-vec-'));
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('title ids map to usearch keys and back exactly', () => {
    for (const id of ['mg_aaaaaaaaaaaa', 'mg_777777777777', 'mg_igfl2fsihxmj'])
      assert.equal(keyTitle(titleKey(id)), id);
  });

  it('is saved under <dataDir>/search and a restart embeds only what changed since', async () => {
    const first = await createSearchService({ db, dataDir: dir, refreshEveryMs: 0 });
    assert.ok(existsSync(join(dir, 'search', 'vectors.usearch')) && existsSync(join(dir, 'search', 'lsa-model.bin')));
    const n = first.vectors!.size;
    // A title arrives while the service is down.
    const path = join(dir, 'new.jsonl');
    await writeFile(
      path,
      `${JSON.stringify({
        source: 'test',
        sourceKey: 'v-1',
        kind: 'series',
        title: 'Quillon Drift',
        year: 2021,
        genres: ['drama'],
        description: 'Lighthouse keepers drift.',
        offers: [{ platform: 'hulu', region: 'US', monetization: 'subscription' }],
      })}\n`,
    );
    await ingest({ db, source: await openFileSource(path) });
    const second = await createSearchService({ db, dataDir: dir, refreshEveryMs: 0 });
    assert.equal(second.vectors!.size, n + 1);
    assert.equal(second.vectors!.meta.lastSeq, second.catalog.lastSeq);
    const res = await second.search({ query: 'something like Quillon Drift' });
    assert.equal(res.understood.like[0]?.title, 'Quillon Drift');
  });

  it('retrains the local model in the background when the catalog outgrows it', async () => {
    let swapped = 0;
    const svc = await createSearchService({ db, refreshEveryMs: 0, onVectorsSwapped: () => swapped++ });
    assert.equal(swapped, 1, 'told of the index it loaded');
    const trainedOn = svc.vectors!.meta.trainedOn!;
    const words = ['amber', 'harbor', 'glacier', 'violin', 'desert', 'orbit', 'lantern', 'meadow', 'falcon', 'citadel'];
    const lines = Array.from({ length: 2 * trainedOn + 120 }, (_, i) =>
      JSON.stringify({
        source: 'bulk',
        sourceKey: `b-${i}`,
        kind: 'movie',
        title: `Bulk ${words[i % 10]} ${words[(i * 7) % 10]} ${i}`,
        year: 2000 + (i % 20),
        genres: ['drama'],
        description: `A story of the ${words[i % 10]} and the ${words[(i * 3) % 10]}.`,
        offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
      }),
    );
    const path = join(dir, 'bulk.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    await ingest({ db, source: await openFileSource(path) });
    await svc.refresh();
    await svc.settled();
    assert.ok(svc.vectors!.meta.trainedOn! > trainedOn, `retrained on ${svc.vectors!.meta.trainedOn}`);
    assert.equal(svc.vectors!.size, svc.catalog.size);
    assert.equal(swapped, 2, 'told of the retrained index (search workers reload it)');
  });
});
