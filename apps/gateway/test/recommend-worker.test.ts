import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { loadConfig } from '../src/config.ts';
import { loadRetrainState, retrainReason, startRecommendWorker } from '../src/recommend-worker.ts';

const policy = { everyHours: 24, catalogChanges: 1000 };
const H = 3_600_000;

describe('recommendation retrain schedule', () => {
  test('due with no model, after a day, or after a large catalog change; not otherwise', () => {
    assert.equal(retrainReason({ trainedAt: undefined, modelCatalogSeq: 0, catalogSeq: 0 }, 0, policy), 'no model yet');
    assert.equal(retrainReason({ trainedAt: 0, modelCatalogSeq: 10, catalogSeq: 500 }, 23 * H, policy), undefined);
    assert.equal(
      retrainReason({ trainedAt: 0, modelCatalogSeq: 10, catalogSeq: 10 }, 24 * H, policy),
      'older than 24 h',
    );
    assert.equal(
      retrainReason({ trainedAt: 0, modelCatalogSeq: 10, catalogSeq: 1010 }, H, policy),
      'catalog changed by 1000 events',
    );
  });
});

for (const backend of testBackends()) {
  describe(`recommendation retrain worker on ${backend}`, () => {
    let db: Db;
    before(async () => {
      db = await freshDb(backend);
      await ingest({
        db,
        source: sampleSource(),
      });
    });
    after(async () => db.close());

    test('a tick trains when due, storing the model with the catalog position; the next does nothing', async () => {
      const worker = startRecommendWorker({
        db,
        settings: loadConfig({ MG_RECS_RETRAIN_CATALOG_CHANGES: '1000000' }).recommend,
        logger: noopLogger,
        autoStart: false,
      });
      try {
        assert.equal(await worker.tick(), 'no model yet');
        const state = await loadRetrainState(db);
        assert.ok(state.trainedAt !== undefined && state.modelCatalogSeq === state.catalogSeq && state.catalogSeq > 0);
        assert.equal(await worker.tick(), undefined);
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rec_models');
        assert.equal(rows[0]!.n, 1);
      } finally {
        await worker.stop();
      }
    });
  });
}
