import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import type { Embedder } from '../embed/embedder.ts';
import { LsaModel } from '../embed/lsa-model.ts';
import { trainInWorker } from '../embed/train-in-worker.ts';
import { entryDoc } from '../retrieve/rank.ts';
import type { TitleCatalog } from './title-catalog.ts';
import { VectorIndex } from './vector-index.ts';

const BATCH = 2000;

/** Lets pending I/O (HTTP requests) run between batches: awaiting a resolved promise alone does not. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The local model's vocabulary is fixed when it is trained, so a catalog that has more than doubled
 * since (e.g. the 95-title sample, then the real catalogs) gets a new model.
 */
export function needsRetraining(trainedOn: number | undefined, titles: number): boolean {
  return trainedOn !== undefined && titles > 2 * trainedOn + 100;
}

/**
 * Opens (or builds) the embedder and the vector index. With a directory: reuse the saved local
 * model and index, then embed only the titles changed since the index's last catalog event.
 * Without one (tests, --no-data-dir): train and build in memory.
 */
export async function buildVectors(args: {
  db: Queryable;
  catalog: TitleCatalog;
  dir: string | undefined;
  embedder: Embedder | undefined;
  logger: Logger;
  retrain?: boolean;
  background?: boolean;
}): Promise<{ embedder: Embedder; vectors: VectorIndex }> {
  const { catalog, dir, logger } = args;
  const modelPath = dir ? join(dir, 'lsa-model.bin') : undefined;
  let embedder = args.embedder;
  if (!embedder && !args.retrain && modelPath && existsSync(modelPath)) {
    embedder = await LsaModel.load(modelPath);
    const saved = dir ? await VectorIndex.load(dir, embedder.name, embedder.dimensions) : undefined;
    if (saved && needsRetraining(saved.meta.trainedOn, catalog.size)) {
      logger.info(
        { trainedOn: saved.meta.trainedOn, titles: catalog.size },
        'catalog outgrew the local search model: retraining',
      );
      embedder = undefined;
    }
  }
  const entries = [...catalog.entries.values()];
  let trainedNow = false;
  if (!embedder) {
    trainedNow = true;
    const started = Date.now();
    embedder = args.background ? await trainInWorker(entries.map(entryDoc)) : LsaModel.train(entries.map(entryDoc));
    logger.info({ titles: entries.length, ms: Date.now() - started }, 'trained the local search embedding model');
    if (modelPath && dir) {
      await mkdir(dir, { recursive: true });
      await (embedder as LsaModel).save(modelPath);
    }
  }
  let vectors = dir && !trainedNow ? await VectorIndex.load(dir, embedder.name, embedder.dimensions) : undefined;
  let todo = entries;
  if (vectors) {
    const changed = await args.db.query<{ title_id: string }>(
      'SELECT DISTINCT title_id FROM catalog_events WHERE seq > $1',
      [vectors.meta.lastSeq],
    );
    const ids = new Set(changed.rows.map((r) => r.title_id));
    todo = entries.filter((e) => ids.has(e.id));
    // Embedding is cheap (~1 s for 30k titles); the HNSW graph is what loading saves.
    const known = entries.filter((e) => !ids.has(e.id));
    for (let i = 0; i < known.length; i += BATCH) {
      const batch = known.slice(i, i + BATCH);
      vectors.remember(
        batch.map((e) => e.id),
        await embedder.embedDocuments(batch.map(entryDoc)),
      );
      if (args.background) await yieldToRequests();
    }
  } else {
    vectors = new VectorIndex(embedder.dimensions, embedder.name);
    if (trainedNow) vectors.meta.trainedOn = entries.length;
  }
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    vectors.upsert(
      batch.map((e) => e.id),
      await embedder.embedDocuments(batch.map(entryDoc)),
    );
    if (args.background) await yieldToRequests();
  }
  vectors.meta.lastSeq = catalog.lastSeq;
  if (dir && todo.length) await vectors.save(dir);
  return { embedder, vectors };
}
